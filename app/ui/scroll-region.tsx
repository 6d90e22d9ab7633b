import { useEffect, useRef, type ReactNode } from "react";

// Polaris's DataTable scrolls sideways in a container that a keyboard cannot reach when the table
// is wider than its card. Once mounted, that container becomes a named, focusable region, so
// arrow keys scroll it (WCAG 2.1.1; axe's scrollable-region-focusable).

const SCROLLERS = ".Polaris-DataTable__ScrollContainer";

export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    for (const scroller of ref.current?.querySelectorAll<HTMLElement>(SCROLLERS) ?? []) {
      scroller.tabIndex = 0;
      scroller.setAttribute("role", "region");
      scroller.setAttribute("aria-label", label);
    }
  });
  return <div ref={ref}>{children}</div>;
}
