import { createHmac } from "node:crypto";
import { generateStore, type GeneratedStore } from "./generator/store";
import { BulkOperations, bulkView, type BulkOperation } from "./bulk/operations";
import { LeakyBucket } from "./graphql/throttle";
import { queryRootFields, type ViewContext } from "./graphql/views";
import { mutationRoot } from "./graphql/mutations";
import type { CustomerRecord } from "./generator/types";

export interface ShopConfig {
  domain: string;
  seed?: number;
  customers: number;
  orders?: number;
  products?: number;
  until?: Date;
}

export interface ShopEvents {
  /** The app's secret: offline tokens derive from it, so they outlive an emulator restart. */
  apiSecret: string;
  now(): Date;
  emulatorUrl(): string;
  log(line: string): void;
  customerUpdated(shop: string, record: CustomerRecord): void;
  bulkFinished(shop: string, op: BulkOperation): void;
}

/** Everything the emulator keeps per shop. */
export class ShopState {
  readonly store: GeneratedStore;
  readonly bucket: LeakyBucket;
  readonly bulk: BulkOperations;
  private exchanged = false;
  private queryRoot: Record<string, unknown> | undefined;

  constructor(
    readonly config: ShopConfig,
    scopes: string,
    private readonly events: ShopEvents,
  ) {
    this.store = generateStore({ ...config, seed: config.seed ?? 1 });
    this.store.scopes = scopes;
    this.bucket = new LeakyBucket(events.now);
    this.bulk = new BulkOperations({
      now: events.now,
      emulatorUrl: events.emulatorUrl,
      rootValue: () => this.rootValue("query"),
      context: (bulk) => ({ store: this.store, bulk }) satisfies ViewContext,
      onFinish: (op) => events.bulkFinished(config.domain, op),
      log: events.log,
    });
  }

  get domain(): string {
    return this.config.domain;
  }

  /**
   * Shopify keeps an app's offline token across restarts of anything; so does the emulator, by
   * deriving it from the app secret and the shop. A demo restarted on the same data keeps working.
   */
  get offlineToken(): string {
    const digest = createHmac("sha256", this.events.apiSecret).update(`offline:${this.domain}`).digest("hex");
    return `shpat_${digest.slice(0, 32)}`;
  }

  issueOfflineToken(): string {
    this.exchanged = true;
    return this.offlineToken;
  }

  /** Whether token exchange ran since the emulator started (tests look at this). */
  get tokenIssued(): boolean {
    return this.exchanged;
  }

  rootValue(operation: "query" | "mutation"): Record<string, unknown> {
    if (operation === "mutation") {
      return mutationRoot({
        store: this.store,
        bulk: this.bulk,
        now: this.events.now,
        customerUpdated: (record) => this.events.customerUpdated(this.domain, record),
      });
    }
    this.queryRoot ??= {
      ...queryRootFields(this.store),
      bulkOperation: (args: unknown) => {
        const id =
          typeof args === "object" && args !== null && "id" in args && typeof args.id === "string"
            ? args.id
            : "";
        const op = this.bulk.get(id);
        return op ? bulkView(op) : null;
      },
      currentBulkOperation: () => {
        const op = this.bulk.current();
        return op ? bulkView(op) : null;
      },
    };
    return this.queryRoot;
  }

  context(): ViewContext {
    return { store: this.store };
  }
}
