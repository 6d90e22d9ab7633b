import { useEffect } from "react";
import { useRevalidator } from "@remix-run/react";

/** Reloads the page's data every `ms` while `active` (and the tab is visible): live progress, background plans. */
export function usePollWhile(active: boolean, ms = 2_000): void {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle" && document.visibilityState === "visible") revalidator.revalidate();
    }, ms);
    return () => clearInterval(timer);
  }, [active, ms, revalidator]);
}
