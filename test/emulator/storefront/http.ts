import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";

// Small HTTP pieces of the storefront: compressed answers, the login cookie, request bodies.

export const CUSTOMER_COOKIE = "emulator_customer";

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

/** The body, gzipped when the client takes it (text only; Lighthouse audits text compression). */
export function send(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer | string): void {
  const raw = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  const type = headers["Content-Type"] ?? "";
  const compress = /^(text\/|application\/(json|javascript))/.test(type) && raw.length > 512 && /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
  const payload = compress ? gzipSync(raw) : raw;
  res.writeHead(status, { ...headers, ...(compress ? { "Content-Encoding": "gzip", Vary: "Accept-Encoding" } : {}), "Content-Length": String(payload.length) });
  res.end(req.method === "HEAD" ? undefined : payload);
}

export function sendHtml(req: IncomingMessage, res: ServerResponse, status: number, html: string, extra: Record<string, string> = {}): void {
  send(req, res, status, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "private, no-cache", ...extra }, html);
}

/** A theme app extension asset: cached for a year like Shopify's CDN, revalidated by ETag. */
export function sendAsset(req: IncomingMessage, res: ServerResponse, asset: { body: Buffer; contentType: string }): void {
  const etag = `"${createHash("sha256").update(asset.body).digest("base64url").slice(0, 20)}"`;
  const headers = { "Content-Type": asset.contentType, "Cache-Control": "public, max-age=31536000, immutable", ETag: etag, "Access-Control-Allow-Origin": "*" };
  if (req.headers["if-none-match"] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  send(req, res, 200, headers, asset.body);
}

export function redirect(res: ServerResponse, location: string, cookie?: string): void {
  res.writeHead(302, { Location: location, "Cache-Control": "no-store", ...(cookie ? { "Set-Cookie": cookie } : {}) });
  res.end();
}

export function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of String(req.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export function customerCookie(domain: string, legacyId: string | null): string {
  const base = `${CUSTOMER_COOKIE}=${legacyId ?? ""}; Path=/s/${domain}/; HttpOnly; SameSite=Lax`;
  return legacyId === null ? `${base}; Max-Age=0` : base;
}
