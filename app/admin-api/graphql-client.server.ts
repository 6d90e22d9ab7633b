import type { AdminGraphql } from "../sync/store-overview.server";

// A thin layer over admin.graphql: parses the body, turns GraphQL errors into a typed error, and
// backs off on THROTTLED by the leaky bucket's own numbers — the Shopify client only retries
// HTTP 429/503, but cost throttling answers 200 with a THROTTLED error.

export interface GraphqlErrorItem {
  message: string;
  extensions?: Record<string, unknown>;
  path?: unknown[];
}

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** The Admin API refused the request (GraphQL errors) or a mutation answered userErrors. */
export class AdminApiError extends Error {
  override name = "AdminApiError";
  constructor(
    message: string,
    readonly errors: GraphqlErrorItem[] = [],
    readonly userErrors: Array<{ field?: string[] | null; message: string; code?: string | null }> = [],
  ) {
    super(message);
  }
}

export interface CallAdminOptions {
  sleep?: (ms: number) => Promise<void>;
  log?: (line: string) => void;
  /** THROTTLED retries before giving up (default 20) */
  maxThrottleRetries?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function errorItems(value: unknown): GraphqlErrorItem[] {
  if (Array.isArray(value)) {
    return value.map((e) => ({
      message: isRecord(e) && typeof e.message === "string" ? e.message : String(e),
      extensions: isRecord(e) && isRecord(e.extensions) ? e.extensions : undefined,
      path: isRecord(e) && Array.isArray(e.path) ? e.path : undefined,
    }));
  }
  if (isRecord(value)) {
    // @shopify/shopify-api's thrown GraphqlQueryError: body.errors = { graphQLErrors, message, ... }
    if (Array.isArray(value.graphQLErrors)) return errorItems(value.graphQLErrors);
    if (typeof value.message === "string") return [{ message: value.message }];
  }
  if (typeof value === "string") return [{ message: value }];
  return [];
}

/** The cost bucket's numbers from a response's `extensions.cost`. */
export function throttleStatusOf(extensions: unknown): { status?: ThrottleStatus; requested?: number } {
  if (!isRecord(extensions) || !isRecord(extensions.cost)) return {};
  const cost = extensions.cost;
  const s = cost.throttleStatus;
  const requested = typeof cost.requestedQueryCost === "number" ? cost.requestedQueryCost : undefined;
  if (
    isRecord(s) &&
    typeof s.maximumAvailable === "number" &&
    typeof s.currentlyAvailable === "number" &&
    typeof s.restoreRate === "number"
  ) {
    return { status: { maximumAvailable: s.maximumAvailable, currentlyAvailable: s.currentlyAvailable, restoreRate: s.restoreRate }, requested };
  }
  return { requested };
}

/** Milliseconds until the bucket holds `requested` points again (at least 50 ms, at most 60 s). */
export function throttleWaitMs(requested: number | undefined, status: ThrottleStatus | undefined, attempt: number): number {
  if (!status || requested === undefined || status.restoreRate <= 0) return Math.min(60_000, 1000 * 2 ** Math.min(attempt, 6));
  const seconds = (requested - status.currentlyAvailable) / status.restoreRate;
  return Math.min(60_000, Math.max(50, Math.ceil(seconds * 1000)));
}

/** Reads a response body (or a thrown client error) as { data, errors, extensions }. */
async function settle(admin: AdminGraphql, document: string, variables: Record<string, unknown> | undefined) {
  try {
    const response = await admin.graphql(document, variables ? { variables } : undefined);
    const body: unknown = await response.json();
    if (!isRecord(body)) throw new AdminApiError("Admin API answered something that is not a JSON object");
    return { data: body.data, errors: errorItems(body.errors), extensions: body.extensions };
  } catch (error) {
    // shopify-app-remix's admin.graphql throws on GraphQL errors, with the body attached.
    if (isRecord(error) && isRecord(error.body)) {
      const body = error.body;
      return { data: body.data, errors: errorItems(body.errors), extensions: body.extensions ?? (isRecord(body.errors) ? body.errors.extensions : undefined) };
    }
    throw error;
  }
}

/** Runs one Admin GraphQL document; returns `data`, waits out THROTTLED, throws AdminApiError. */
export async function callAdmin<T = Record<string, unknown>>(
  admin: AdminGraphql,
  document: string,
  variables?: Record<string, unknown>,
  options: CallAdminOptions = {},
): Promise<T> {
  const sleep = options.sleep ?? defaultSleep;
  const maxRetries = options.maxThrottleRetries ?? 20;
  for (let attempt = 0; ; attempt++) {
    const { data, errors, extensions } = await settle(admin, document, variables);
    const throttled = errors.some((e) => e.extensions?.code === "THROTTLED");
    if (throttled && attempt < maxRetries) {
      const { status, requested } = throttleStatusOf(extensions);
      const wait = throttleWaitMs(requested, status, attempt);
      options.log?.(`Admin API throttled; retrying in ${wait} ms`);
      await sleep(wait);
      continue;
    }
    if (errors.length > 0) {
      throw new AdminApiError(`Admin API error: ${errors.map((e) => e.message).join("; ")}`, errors);
    }
    if (!isRecord(data)) throw new AdminApiError("Admin API answered without data");
    return data as T;
  }
}
