import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { handleAdminHost } from "./admin-host";
import { issueSessionToken as signSessionToken } from "./auth/jwt";
import { removeResults } from "./bulk/operations";
import { StagedUploads } from "./bulk/staged-uploads";
import { route } from "./server";
import { createStorefront, type StorefrontApi, type StorefrontOptions } from "./storefront";
import { startSinks, type Sinks, type SinksOptions } from "./sinks";
import { ShopState, type ShopConfig } from "./shop";
import { bulkFinishPayload, checkoutPayload, customerPayload, orderPayload, productPayload } from "./webhook-payloads";
import { deliverWebhook, webhookUrl } from "./webhooks";
import type { GeneratedStore } from "./generator/store";
import type {
  CartLine,
  CheckoutPatch,
  CheckoutRecord,
  OrderCancelReason,
  OrderRecord,
  PlaceOrderArgs,
  ProductPatch,
  ProductRecord,
} from "./generator/types";
import type { FlowTriggerCall } from "./graphql/mutations";
import type { MarketingActivityReport } from "./graphql/marketing";

export { generateStore, GeneratedStore, TEST_HISTORY_END } from "./generator/store";
export { summarizeStore, type StoreSummary } from "./generator/summary";
export { signWebhookBody } from "./webhooks";
export { checkoutPayload, customerPayload, orderPayload, productDeletePayload, productPayload } from "./webhook-payloads";
export type { FlowTriggerCall } from "./graphql/mutations";
export type { MarketingActivityReport } from "./graphql/marketing";
export type { EngagementDay, EngagementRecord } from "./graphql/marketing-totals";
export { validateAdminDocument, adminSchema } from "./schema";
export type { ShopifyGraphQLError } from "./graphql/errors";
export { formatMinor, parseMinor } from "./generator/money";
export type * from "./generator/types";
export type { Sinks, SinksOptions, FaultSpec, SinkChannel } from "./sinks";
export type { StorefrontApi, StorefrontOptions } from "./storefront";
export type { AppProxyConfig } from "./storefront/proxy";
export { proxySignature, proxyMessage } from "./storefront/signature";

export const API_VERSION = "2026-10";

export interface EmulatorOptions {
  port?: number;
  apiKey: string;
  apiSecret: string;
  appUrl: string;
  webhooks: Array<{ topics: string[]; uri: string }>;
  shops: Array<ShopConfig>;
  scopes?: string;
  now?: () => Date;
  log?: (line: string) => void;
  /** the delivery sinks (SMTP, Twilio, webhook receiver) started with the emulator */
  sinks?: SinksOptions;
  /** the storefront at /s/<shop>/: which theme app extension it renders, and the app proxy */
  storefront?: StorefrontOptions;
}

export interface Emulator {
  url: string;
  close(): Promise<void>;
  store(domain: string): GeneratedStore;
  setThrottle(
    domain: string,
    opts: { enabled: boolean; maximumAvailable?: number; restoreRate?: number },
  ): void;
  sendWebhook(args: {
    shop: string;
    topic: string;
    payload: unknown;
    webhookId?: string;
    apiVersion?: string;
    uri?: string;
  }): Promise<{ status: number; body: string }>;
  issueSessionToken(shop: string, opts?: { expiresInSeconds?: number; sub?: string }): string;
  accessTokenFor(shop: string): string | undefined;
  /** An Admin API access token of a custom app made in the shop's admin, with these scopes. */
  issueCustomAppToken(shop: string, scopes: readonly string[]): string;
  /**
   * Changes product `index` of the shop (status, or every variant's stock) as a merchant or a sale
   * would, and sends products/update when the app subscribes to it.
   */
  updateProduct(shop: string, index: number, patch: ProductPatch): ProductRecord;
  /**
   * A shopper starts a checkout now (a customer's, or a guest's with an email), and checkouts/create
   * is sent when the app subscribes to it.
   */
  /** `at`: when the shopper started it (default now; the demo starts one an hour ago) */
  startCheckout(shop: string, args: { customerIndex: number | null; lines: readonly CartLine[]; guestEmail?: string; at?: Date }): CheckoutRecord;
  /** Changes checkout k's cart or completes it, and sends checkouts/update. */
  updateCheckout(shop: string, index: number, patch: CheckoutPatch): CheckoutRecord;
  /**
   * Replays generated checkout k as Shopify sent it: checkouts/create as it was started, then
   * checkouts/update as it ended (completed, or abandoned after its last change), each signed and
   * awaited.
   */
  sendCheckoutWebhooks(shop: string, index: number): Promise<Array<{ topic: string; status: number }>>;
  /**
   * A shopper places an order now (a customer's, or a guest's): appended after the shop's orders
   * (index, id and name after every one so far), seen by every query, count and bulk export, counted
   * in the customer's numberOfOrders and amountSpent; orders/create is sent when the app subscribes.
   * Also POST /emulator/orders.
   */
  placeOrder(shop: string, args: PlaceOrderArgs): OrderRecord;
  /** Cancels order j (refunded in full), and sends orders/cancelled and orders/updated. */
  cancelOrder(shop: string, index: number, at?: Date, reason?: OrderCancelReason): OrderRecord;
  /** Refunds amountMinor of order j (its current total goes down), and sends orders/updated. */
  refundOrder(shop: string, index: number, amountMinor: number, at?: Date): OrderRecord;
  /** every flowTriggerReceive call the shop received, oldest first */
  flowTriggerCalls(shop: string): readonly FlowTriggerCall[];
  /**
   * The shop's external marketing activities, oldest first, each with every engagement row received
   * and its days as the marketing reports total them (also GET /emulator/marketing.json?shop=…).
   */
  marketing(shop: string): MarketingActivityReport[];
  /** the shop's next bulk operation fails with INTERNAL_SERVER_ERROR */
  failNextBulkOperation(shop: string): void;
  /** while held, the shop's new bulk operations stay CREATED (and count against the limit) */
  holdBulkOperations(shop: string, held: boolean): void;
  /** local SMTP / Twilio / webhook sinks; the outbox viewer is also at `${url}/sinks` */
  sinks: Sinks;
  /** the shops' storefronts: block settings, app embeds on or off */
  storefront: StorefrontApi;
  /** `${url}/s/<shop>/`: the shop's home page with the theme app extension's blocks */
  storefrontUrl(shop: string): string;
}

function customerOf(store: GeneratedStore, record: CheckoutRecord | OrderRecord) {
  return record._customerIndex === null ? null : store.customer(record._customerIndex);
}

export async function startEmulator(opts: EmulatorOptions): Promise<Emulator> {
  const now = opts.now ?? (() => new Date());
  const log = opts.log ?? (() => undefined);
  const scopes = opts.scopes ?? "read_customers,write_customers,read_orders,read_all_orders,read_products,write_marketing_events,write_app_proxy";
  let url = "";
  const shops = new Map<string, ShopState>();
  const uploads = new StagedUploads({ now, emulatorUrl: () => url });

  const sendWebhook: Emulator["sendWebhook"] = async (args) => {
    const target = args.uri
      ? new URL(args.uri, opts.appUrl).toString()
      : webhookUrl(opts.webhooks, args.topic, opts.appUrl);
    if (!target) throw new Error(`no webhook subscription for topic ${args.topic}`);
    const result = await deliverWebhook({
      url: target,
      shop: args.shop,
      topic: args.topic,
      payload: args.payload,
      secret: opts.apiSecret,
      apiVersion: args.apiVersion ?? API_VERSION,
      webhookId: args.webhookId,
      triggeredAt: now(),
    });
    log(`webhook ${args.topic} → ${target}: ${result.status}`);
    return result;
  };
  // Background deliveries (after mutations, bulk completion) only go to subscribed topics.
  const fire = (shop: string, topic: string, payload: unknown): void => {
    if (!webhookUrl(opts.webhooks, topic, opts.appUrl)) return;
    sendWebhook({ shop, topic, payload }).catch((error: unknown) =>
      log(`webhook ${topic} failed: ${String(error)}`),
    );
  };

  for (const config of opts.shops) {
    shops.set(
      config.domain,
      new ShopState(config, scopes, {
        apiSecret: opts.apiSecret,
        now,
        log,
        emulatorUrl: () => url,
        customerUpdated: (shop, record) => fire(shop, "customers/update", customerPayload(record)),
        customerCreated: (shop, record) => fire(shop, "customers/create", customerPayload(record)),
        bulkFinished: (shop, op) => fire(shop, "bulk_operations/finish", bulkFinishPayload(op)),
        uploads,
      }),
    );
  }
  const shopOf = (domain: string): ShopState => {
    const shop = shops.get(domain);
    if (!shop) throw new Error(`unknown shop ${domain}`);
    return shop;
  };
  const placeOrder: Emulator["placeOrder"] = (shop, args) => {
    const store = shopOf(shop).store;
    const record = store.placeOrder({ ...args, at: args.at ?? now() });
    fire(shop, "orders/create", orderPayload(record, customerOf(store, record)));
    return record;
  };
  const issueSessionToken: Emulator["issueSessionToken"] = (shop, o) =>
    signSessionToken({
      shop: shopOf(shop).domain,
      apiKey: opts.apiKey,
      apiSecret: opts.apiSecret,
      nowMs: now().getTime(),
      ...o,
    });

  const storefront = createStorefront({
    ...opts.storefront,
    store: (domain) => shops.get(domain)?.store,
    apiSecret: opts.apiSecret,
    appUrl: opts.appUrl,
    now,
    log,
  });
  const sinks = await startSinks(opts.sinks);
  const server = createServer((req, res) => {
    void (async () => {
      try {
        if (sinks.handleViewer(req, res)) return;
        if (await storefront.handle(req, res)) return;
        const handled = await handleAdminHost(req, res, {
          apiKey: opts.apiKey,
          appUrl: opts.appUrl,
          emulatorUrl: url,
          issueSessionToken: (shop) => issueSessionToken(shop),
          shops: [...shops.keys()],
          customer: (shop, legacyId) => {
            const store = shops.get(shop)?.store;
            const index = store?.customerIndexOf(legacyId);
            return store && index !== undefined ? store.customer(index) : undefined;
          },
        });
        if (!handled)
          await route(req, res, {
            shops,
            apiKey: opts.apiKey,
            apiSecret: opts.apiSecret,
            scopes,
            now,
            sendWebhook,
            uploads,
            placeOrder,
          });
      } catch (error) {
        log(
          `emulator error on ${req.method} ${req.url}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ errors: "Internal error" }));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? (address satisfies AddressInfo).port : 0;
  url = `http://127.0.0.1:${port}`;
  log(`Shopify emulator on ${url}`);

  return {
    url,
    sinks,
    storefront: storefront.api,
    storefrontUrl: (shop) => `${url}/s/${shopOf(shop).domain}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          removeResults();
          sinks.close().then(resolve, resolve);
        });
      }),
    store: (domain) => shopOf(domain).store,
    setThrottle: (domain, o) => shopOf(domain).bucket.configure(o),
    sendWebhook,
    issueSessionToken,
    accessTokenFor: (shop) => {
      const state = shops.get(shop);
      return state?.tokenIssued ? state.offlineToken : undefined;
    },
    issueCustomAppToken: (shop, scopes) => shopOf(shop).issueCustomAppToken(scopes),
    updateProduct: (shop, index, patch) => {
      const record = shopOf(shop).store.updateProduct(index, patch, now());
      fire(shop, "products/update", productPayload(record));
      return record;
    },
    startCheckout: (shop, args) => {
      const store = shopOf(shop).store;
      const record = store.startCheckout({ ...args, at: args.at ?? now() });
      fire(shop, "checkouts/create", checkoutPayload(record, customerOf(store, record)));
      return record;
    },
    updateCheckout: (shop, index, patch) => {
      const store = shopOf(shop).store;
      const record = store.updateCheckout(index, patch, now());
      fire(shop, "checkouts/update", checkoutPayload(record, customerOf(store, record)));
      return record;
    },
    sendCheckoutWebhooks: async (shop, index) => {
      const store = shopOf(shop).store;
      const record = store.checkout(index);
      const customer = customerOf(store, record);
      const started: CheckoutRecord = { ...record, updatedAt: record.createdAt, completedAt: null };
      const sent: Array<{ topic: string; status: number }> = [];
      for (const [topic, state] of [["checkouts/create", started], ["checkouts/update", record]] as const) {
        const result = await sendWebhook({ shop, topic, payload: checkoutPayload(state, customer) });
        sent.push({ topic, status: result.status });
      }
      return sent;
    },
    placeOrder,
    cancelOrder: (shop, index, at, reason) => {
      const store = shopOf(shop).store;
      const record = store.cancelOrder(index, at ?? now(), reason);
      const payload = orderPayload(record, customerOf(store, record));
      fire(shop, "orders/cancelled", payload);
      fire(shop, "orders/updated", payload);
      return record;
    },
    refundOrder: (shop, index, amountMinor, at) => {
      const store = shopOf(shop).store;
      const record = store.refundOrder(index, amountMinor, at ?? now());
      fire(shop, "orders/updated", orderPayload(record, customerOf(store, record)));
      return record;
    },
    flowTriggerCalls: (shop) => [...shopOf(shop).flowTriggerCalls],
    marketing: (shop) => shopOf(shop).marketing.report(),
    failNextBulkOperation: (shop) => {
      shopOf(shop).bulk.failNext = true;
    },
    holdBulkOperations: (shop, held) => shopOf(shop).bulk.hold(held),
  };
}
