// Who may show a page in a frame. Shopify admin frames the embedded app (`/app…`) and the two auth
// pages it opens inside that frame (session-token bounce, iframe exit); their frame-ancestors come
// from Shopify's library. Every other page — the unsubscribe page, the landing page, the login — is
// opened on its own and must never be framed (clickjacking: an unsubscribe button under a decoy).
// Pure.

const FRAMED_AUTH_PAGES = new Set(["/auth/session-token", "/auth/exit-iframe"]);

/** A page Shopify admin shows inside its frame. */
export function isEmbeddedPage(pathname: string): boolean {
  return pathname === "/app" || pathname.startsWith("/app/") || FRAMED_AUTH_PAGES.has(pathname);
}

/** Refuses every frame, in the old header and in CSP (which replaces any policy set before). */
export function denyFraming(headers: Headers): void {
  headers.set("X-Frame-Options", "DENY");
  headers.set("Content-Security-Policy", "frame-ancestors 'none';");
}
