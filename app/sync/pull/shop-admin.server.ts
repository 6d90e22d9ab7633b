import { ClientError, GraphQLClient } from "graphql-request";
import { ADMIN_API_VERSION } from "../../admin-api/version";
import { throttleStatusOf, throttleWaitMs } from "../../admin-api/graphql-client.server";
import { rewriteShopifyRequest } from "../../shopify-emulator.server";
import { PullError } from "./pull-error";

// The Admin API of one shop for `pull`, through graphql-request with a custom app's token. Waits
// out throttling (THROTTLED by the cost bucket's numbers, HTTP 429 by Retry-After), retries HTTP
// 5xx and dropped connections with backoff, and turns what cannot be retried into a PullError
// that says what to fix. Never logs the token or the data.

export interface ShopAdminOptions {
  shop: string;
  token: string;
  /** demo and tests: send the traffic to this emulator instead of Shopify (refused in production by the caller) */
  emulatorUrl?: URL;
  sleep(ms: number): Promise<void>;
  log(line: string): void;
  /** tries of one request for HTTP 429/5xx and network errors (default 8) */
  maxAttempts?: number;
}

export interface ShopAdmin {
  /** `data` of a document; THROTTLED, 429 and 5xx retried; anything else a PullError */
  request(document: string, variables?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** fetch for a file Shopify names (bulk results): retried like requests */
  fetchFile(url: string): Promise<Response>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The scope an ACCESS_DENIED error names ("Required access: `read_orders` access scope."). */
export function deniedScope(error: { message: string; extensions?: unknown }): string {
  const required = isRecord(error.extensions) && typeof error.extensions.requiredAccess === "string" ? error.extensions.requiredAccess : error.message;
  return /`([a-z_]+)`/.exec(required)?.[1] ?? /\b((?:read|write)_[a-z_]+)\b/.exec(required)?.[1] ?? "a scope Shopify did not name";
}

/** Milliseconds a 429 asks to wait (Retry-After seconds), else exponential backoff. */
export function retryDelayMs(retryAfter: string | null, attempt: number): number {
  const seconds = retryAfter !== null && /^\d+(\.\d+)?$/.test(retryAfter.trim()) ? Number(retryAfter) : undefined;
  if (seconds !== undefined) return Math.min(60_000, Math.max(100, seconds * 1000));
  return Math.min(30_000, 250 * 2 ** attempt);
}

function networkCode(error: unknown): string | undefined {
  const cause = error instanceof Error && isRecord(error.cause) ? error.cause : undefined;
  return typeof cause?.code === "string" ? cause.code : undefined;
}

export function createShopAdmin(options: ShopAdminOptions): ShopAdmin {
  const { shop, emulatorUrl } = options;
  const maxAttempts = options.maxAttempts ?? 8;
  const viaEmulator = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    if (!emulatorUrl) return fetch(input, init);
    const rewritten = rewriteShopifyRequest(input, emulatorUrl);
    if (!rewritten) return fetch(input, init);
    const headers = new Headers(init?.headers);
    headers.set("X-Shopify-Emulator-Shop", rewritten.shop);
    return fetch(rewritten.url, { ...init, headers });
  };
  const client = new GraphQLClient(`https://${shop}/admin/api/${ADMIN_API_VERSION}/graphql.json`, {
    headers: { "X-Shopify-Access-Token": options.token },
    fetch: viaEmulator,
    errorPolicy: "all",
  });

  /** Waits before try `attempt + 1`, or throws when the tries are used up. */
  async function backOff(attempt: number, what: string, delayMs: number): Promise<void> {
    if (attempt + 1 >= maxAttempts) throw new PullError("SHOPIFY_ERROR", `${what}; gave up after ${maxAttempts} tries`);
    options.log(`${what}; retrying in ${delayMs} ms`);
    await options.sleep(delayMs);
  }

  function refused(error: ClientError): PullError | undefined {
    const { status, body } = error.response;
    if (status === 401)
      return new PullError("TOKEN_REFUSED", `Shopify refused the access token for ${shop} (HTTP 401): use the Admin API access token of a custom app installed on this shop`);
    if (status === 403) {
      const scope = /\b((?:read|write)_[a-z_]+)\b/.exec(body)?.[1];
      return scope
        ? new PullError("SCOPE_MISSING", `the access token lacks the ${scope} scope (HTTP 403): add it to the custom app's Admin API access scopes and install the app again`)
        : new PullError("TOKEN_REFUSED", `Shopify refused the access token for ${shop} (HTTP 403): the app may be uninstalled or the shop unavailable`);
    }
    if (status === 404) return new PullError("SHOP_NOT_FOUND", `Shopify knows no shop at ${shop} (HTTP 404): check --shop`);
    if (status === 402 || status === 423)
      return new PullError("SHOPIFY_ERROR", `Shopify answered HTTP ${status} for ${shop}: the shop is ${status === 402 ? "frozen (unpaid)" : "locked"}`);
    if (status !== 429 && status < 500) return new PullError("SHOPIFY_ERROR", `Shopify answered HTTP ${status} for ${shop}`);
    return undefined;
  }

  async function request(document: string, variables?: Record<string, unknown>): Promise<Record<string, unknown>> {
    for (let attempt = 0, throttled = 0; ; ) {
      let response;
      try {
        response = await client.rawRequest<Record<string, unknown>>(document, variables);
      } catch (error) {
        if (error instanceof ClientError) {
          const final = refused(error);
          if (final) throw final;
          const { status, headers } = error.response;
          await backOff(attempt++, `Shopify answered HTTP ${status}`, retryDelayMs(status === 429 ? headers.get("retry-after") : null, attempt));
          continue;
        }
        const code = networkCode(error);
        if (code === "ENOTFOUND") throw new PullError("SHOP_NOT_FOUND", `cannot reach ${shop}: no such host (check --shop)`);
        if (!(error instanceof TypeError) && code === undefined) throw error;
        const reason = code ?? (error instanceof Error ? error.message : String(error));
        await backOff(attempt++, `cannot reach ${shop} (${reason})`, retryDelayMs(null, attempt));
        continue;
      }
      const errors = response.errors ?? [];
      if (errors.some((e) => e.extensions?.code === "THROTTLED") && throttled < 30) {
        const { status, requested } = throttleStatusOf(response.extensions);
        const wait = throttleWaitMs(requested, status, throttled++);
        options.log(`throttled by Shopify (cost ${requested ?? "?"} of ${status?.currentlyAvailable ?? "?"} available); waiting ${wait} ms`);
        await options.sleep(wait);
        continue;
      }
      const denied = errors.find((e) => e.extensions?.code === "ACCESS_DENIED");
      if (denied) {
        const scope = deniedScope(denied);
        throw new PullError("SCOPE_MISSING", `the access token lacks the ${scope} scope: add it to the custom app's Admin API access scopes and install the app again`);
      }
      if (errors.length > 0) throw new PullError("SHOPIFY_ERROR", `Admin API error: ${errors.map((e) => e.message).join("; ")}`);
      if (!isRecord(response.data)) throw new PullError("SHOPIFY_ERROR", "the Admin API answered without data");
      return response.data;
    }
  }

  async function fetchFile(url: string): Promise<Response> {
    for (let attempt = 0; ; ) {
      let response: Response;
      try {
        response = await fetch(url);
      } catch (error) {
        if (!(error instanceof TypeError)) throw error;
        await backOff(attempt++, `cannot download a result file (${networkCode(error) ?? error.message})`, retryDelayMs(null, attempt));
        continue;
      }
      if (response.ok) return response;
      await response.body?.cancel();
      if (response.status !== 429 && response.status < 500)
        throw new PullError("EXPORT_FAILED", `the result file could not be downloaded (HTTP ${response.status}); run pull again`);
      await backOff(attempt++, `the result file answered HTTP ${response.status}`, retryDelayMs(response.headers.get("retry-after"), attempt));
    }
  }

  return { request, fetchFile };
}
