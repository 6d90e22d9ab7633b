import { useEffect, useState, type ReactNode } from "react";

// polaris-viz measures its container and draws with the browser's layout, so it cannot render on
// the server: what it draws comes after the first render in the browser. The numbers it shows are
// always on the page too, in a table.

export function ClientOnly({ children }: { children: () => ReactNode }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted ? <>{children()}</> : null;
}
