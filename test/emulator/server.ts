import { createReadStream, existsSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { SUPPORTED_API_VERSIONS } from "./schema";
import { graphqlRequest } from "./graphql/endpoint";
import { tokenExchange } from "./auth/token-exchange";
import type { ShopState } from "./shop";
import { UPLOAD_PATH, type StagedUploads } from "./bulk/staged-uploads";
import type { OrderRecord, PlaceOrderArgs } from "./generator/types";

export const SHOP_HEADER = "x-shopify-emulator-shop";

export interface RouteDeps {
  shops: Map<string, ShopState>;
  apiKey: string;
  apiSecret: string;
  scopes: string;
  now(): Date;
  sendWebhook(args: { shop: string; topic: string; payload: unknown }): Promise<{ status: number; body: string }>;
  uploads: StagedUploads;
  /** a shopper places an order (Emulator.placeOrder) */
  placeOrder(shop: string, args: PlaceOrderArgs): OrderRecord;
}

const index = z.number().int().nonnegative();
const PlaceOrderBody = z.object({
  shop: z.string(),
  customerIndex: index.nullable(),
  lines: z.array(z.object({ productIndex: index, variantIndex: index, quantity: z.number().int().positive() })).min(1),
  landingSite: z.string().nullish(),
  discountCodes: z.array(z.string()).optional(),
  test: z.boolean().optional(),
  at: z.string().datetime({ offset: true }).optional(),
});

function send(res: ServerResponse, status: number, json: unknown): void {
  const body = JSON.stringify(json);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const text = Buffer.concat(chunks).toString("utf8");
  if (text === "") return {};
  const type = req.headers["content-type"] ?? "";
  if (type.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const UNAUTHORIZED = { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" };

/** Shopify's own paths, with the shop taken from the routing header. */
export async function route(req: IncomingMessage, res: ServerResponse, deps: RouteDeps): Promise<void> {
  const url = new URL(req.url ?? "/", "http://emulator");
  const shopHeader = req.headers[SHOP_HEADER];
  const shop = typeof shopHeader === "string" ? deps.shops.get(shopHeader) : undefined;

  const bulk = /^\/bulk-results\/(\d+)\.jsonl$/.exec(url.pathname);
  if (req.method === "GET" && bulk) {
    const n = Number(bulk[1]);
    const op = [...deps.shops.values()].map((s) => s.bulk.byNumber(n)).find((o) => o !== undefined);
    if (!op || (op.url === null && op.partialDataUrl === null) || !existsSync(op.file)) return send(res, 404, { errors: "Not Found" });
    res.writeHead(200, { "Content-Type": "application/jsonl", ...(op.fileSize !== null ? { "Content-Length": op.fileSize } : {}) });
    createReadStream(op.file).pipe(res);
    return;
  }

  // the staged-upload bucket: like GCS, it knows no shop; the signed key does
  if (req.method === "POST" && (url.pathname === UPLOAD_PATH || url.pathname === `${UPLOAD_PATH}/`)) {
    return deps.uploads.handleUpload(req, res);
  }

  if (req.method === "POST" && url.pathname === "/emulator/webhooks") {
    const parsed = z.object({ shop: z.string(), topic: z.string(), payload: z.record(z.unknown()) }).safeParse(await readJson(req));
    if (!parsed.success || !deps.shops.has(parsed.data.shop)) return send(res, 400, { error: "expected {shop, topic, payload} for a known shop" });
    return send(res, 200, await deps.sendWebhook(parsed.data));
  }

  // a shopper places an order: its id and name back, orders/create sent like Shopify's
  if (req.method === "POST" && url.pathname === "/emulator/orders") {
    const parsed = PlaceOrderBody.safeParse(await readJson(req));
    if (!parsed.success || !deps.shops.has(parsed.data.shop))
      return send(res, 400, { error: "expected {shop, customerIndex, lines: [{productIndex, variantIndex, quantity}], landingSite?, discountCodes?, test?, at?} for a known shop" });
    const { shop: domain, at, ...args } = parsed.data;
    try {
      const order = deps.placeOrder(domain, { ...args, ...(at === undefined ? {} : { at: new Date(at) }) });
      return send(res, 201, { id: order.id, legacyResourceId: order.legacyResourceId, name: order.name, index: order._index });
    } catch (error) {
      if (error instanceof RangeError) return send(res, 400, { error: error.message });
      throw error;
    }
  }

  // for tests and people: what the shop's marketing reports received (the routing header or ?shop=)
  if (req.method === "GET" && url.pathname === "/emulator/marketing.json") {
    const target = shop ?? deps.shops.get(url.searchParams.get("shop") ?? "");
    if (!target) return send(res, 404, { errors: "Not Found" });
    return send(res, 200, { shop: target.domain, activities: target.marketing.report() });
  }

  if (req.method === "POST" && url.pathname === "/admin/oauth/access_token") {
    if (!shop) return send(res, 404, { errors: "Not Found" });
    const result = tokenExchange(shop.domain, await readJson(req), {
      apiKey: deps.apiKey,
      apiSecret: deps.apiSecret,
      scopes: deps.scopes,
      nowMs: deps.now().getTime(),
      knownShop: (d) => deps.shops.has(d),
      offlineToken: () => shop.issueOfflineToken(),
    });
    return send(res, result.status, result.json);
  }

  const gql = /^\/admin\/api\/([^/]+)\/graphql\.json$/.exec(url.pathname);
  if (gql) {
    if (!shop) return send(res, 404, { errors: "Not Found" });
    if (!(SUPPORTED_API_VERSIONS as readonly string[]).includes(gql[1] ?? "")) return send(res, 404, { errors: "Not Found" });
    const token = req.headers["x-shopify-access-token"];
    const scopes = typeof token === "string" ? shop.scopesOf(token) : undefined;
    if (!scopes) return send(res, 401, UNAUTHORIZED);
    if (req.method !== "POST") return send(res, 405, { errors: "Method Not Allowed" });
    const result = await graphqlRequest(await readJson(req), {
      bucket: shop.bucket,
      rootValue: (op) => shop.rootValue(op, scopes),
      context: shop.context(),
    });
    return send(res, result.status, result.json);
  }

  send(res, 404, { errors: "Not Found" });
}
