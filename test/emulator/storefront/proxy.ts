import type { IncomingHttpHeaders } from "node:http";
import { proxySignature } from "./signature";

// The app proxy: a storefront request under /<prefix>/<subpath>/ goes to the app's proxy URL with
// Shopify's parameters added and signed; method, body and a few request headers go along (never
// the shopper's cookies), and the app's status, content type, Location and body come back.

export interface AppProxyConfig {
  /** "apps" */
  prefix: string;
  /** "holiday" */
  subpath: string;
  /** the app's proxy URL ("<appUrl>/proxy") */
  url: string;
}

export interface ProxiedRequest {
  method: string;
  /** what follows /<prefix>/<subpath> in the path ("" or "/signup") */
  rest: string;
  query: URLSearchParams;
  body: Buffer;
  headers: IncomingHttpHeaders;
  /** the shopper's address (X-Forwarded-For) */
  remoteAddress: string;
  shop: string;
  /** the logged-in customer's legacy id, "" when anonymous */
  customerId: string;
  timestampSeconds: number;
  secret: string;
}

export interface ProxiedResponse {
  status: number;
  contentType: string | null;
  location: string | null;
  body: Buffer;
}

const FORWARDED_HEADERS = ["accept", "accept-language", "content-type", "user-agent", "x-requested-with"] as const;

/** The app's URL for this request, with Shopify's signed parameters after the shopper's own. */
export function proxyTarget(config: AppProxyConfig, request: Pick<ProxiedRequest, "rest" | "query" | "shop" | "customerId" | "timestampSeconds" | "secret">): string {
  const params = new URLSearchParams(request.query);
  params.append("shop", request.shop);
  params.append("logged_in_customer_id", request.customerId);
  params.append("path_prefix", `/${config.prefix}/${config.subpath}`);
  params.append("timestamp", String(request.timestampSeconds));
  params.append("signature", proxySignature(params, request.secret));
  return `${config.url.replace(/\/$/, "")}${request.rest}?${params.toString()}`;
}

export async function forwardToApp(config: AppProxyConfig, request: ProxiedRequest): Promise<ProxiedResponse> {
  const headers = new Headers();
  for (const name of FORWARDED_HEADERS) {
    const value = request.headers[name];
    if (typeof value === "string") headers.set(name, value);
  }
  headers.set("x-forwarded-for", request.remoteAddress);
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  const response = await fetch(proxyTarget(config, request), {
    method: request.method,
    headers,
    body: hasBody ? new Uint8Array(request.body) : undefined,
    redirect: "manual",
  });
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    location: response.headers.get("location"),
    body: Buffer.from(await response.arrayBuffer()),
  };
}
