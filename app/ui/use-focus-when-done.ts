import { useEffect, useRef } from "react";

/**
 * A ref for where a fetcher's answer appears, focused once the submission is done: the pressed
 * button is disabled while busy, so keyboard focus would otherwise fall back to the page.
 * `instead` names another element to focus when there is one (the field an error is about).
 */
export function useFocusWhenDone<T extends HTMLElement>(busy: boolean, instead?: () => HTMLElement | null) {
  const target = useRef<T>(null);
  const wasBusy = useRef(false);
  useEffect(() => {
    if (busy) {
      wasBusy.current = true;
      return;
    }
    if (!wasBusy.current) return;
    wasBusy.current = false;
    (instead?.() ?? target.current)?.focus();
  }, [busy, instead]);
  return target;
}
