import { randomBytes } from "node:crypto";
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
  offlineToken: string | undefined;
  private queryRoot: Record<string, unknown> | undefined;

  constructor(readonly config: ShopConfig, scopes: string, private readonly events: ShopEvents) {
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

  issueOfflineToken(): string {
    this.offlineToken ??= `shpat_${randomBytes(16).toString("hex")}`;
    return this.offlineToken;
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
        const id = typeof args === "object" && args !== null && "id" in args && typeof args.id === "string" ? args.id : "";
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
