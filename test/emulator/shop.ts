import { createHmac, randomBytes } from "node:crypto";
import { scopedMutationRoot, scopedQueryRoot } from "./auth/scopes";
import { generateStore, TEST_HISTORY_END, type GeneratedStore } from "./generator/store";
import { z } from "zod";
import { BulkOperations, bulkView, type BulkOperation } from "./bulk/operations";
import type { StagedUploads } from "./bulk/staged-uploads";
import { LeakyBucket } from "./graphql/throttle";
import { nodeById, queryRootFields, shopLegacyId, type ViewContext } from "./graphql/views";
import { mutationRoot, type FlowTriggerCall } from "./graphql/mutations";
import { MarketingRecords } from "./graphql/marketing";
import type { CustomerRecord } from "./generator/types";

export interface ShopConfig {
  domain: string;
  seed?: number;
  customers: number;
  orders?: number;
  products?: number;
  /** the end of the store's history: the demo passes its start; tests leave the fixed TEST_HISTORY_END */
  until?: Date;
  /** the share of checkouts abandoned (default 0.2) */
  abandonedCheckoutShare?: number;
}

export interface ShopEvents {
  /** The app's secret: offline tokens derive from it, so they outlive an emulator restart. */
  apiSecret: string;
  now(): Date;
  emulatorUrl(): string;
  log(line: string): void;
  customerUpdated(shop: string, record: CustomerRecord): void;
  customerCreated(shop: string, record: CustomerRecord): void;
  bulkFinished(shop: string, op: BulkOperation): void;
  /** the emulator's one bucket of staged uploads */
  uploads: StagedUploads;
}

const idArg = z.object({ id: z.string() });

/** Everything the emulator keeps per shop. */
export class ShopState {
  readonly store: GeneratedStore;
  readonly bucket: LeakyBucket;
  readonly bulk: BulkOperations;
  private exchanged = false;
  private queryRoot: Record<string, unknown> | undefined;
  /** Admin API tokens of custom apps made in the shop's admin, with their scopes */
  private readonly customAppTokens = new Map<string, readonly string[]>();
  /** every flowTriggerReceive call, oldest first */
  readonly flowTriggerCalls: FlowTriggerCall[] = [];
  /** external marketing activities and their engagements (marketingActivityUpsertExternal, marketingEngagementCreate) */
  readonly marketing: MarketingRecords;

  constructor(
    readonly config: ShopConfig,
    scopes: string,
    private readonly events: ShopEvents,
  ) {
    this.store = generateStore({ ...config, seed: config.seed ?? 1, until: config.until ?? TEST_HISTORY_END });
    this.store.scopes = scopes;
    this.bucket = new LeakyBucket(events.now);
    this.marketing = new MarketingRecords(events.now);
    this.bulk = new BulkOperations({
      now: events.now,
      emulatorUrl: events.emulatorUrl,
      rootValue: (operation) => this.rootValue(operation),
      context: (bulk) => (bulk ? { store: this.store, bulk } : { store: this.store }) satisfies ViewContext,
      stagedFile: (path) => events.uploads.fileFor(config.domain, path),
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

  /** A custom app's Admin API access token with these scopes, as the shop's admin makes one. */
  issueCustomAppToken(scopes: readonly string[]): string {
    const token = `shpat_${randomBytes(16).toString("hex")}`;
    this.customAppTokens.set(token, [...scopes]);
    return token;
  }

  /** The scopes an Admin API token has on this shop; undefined: not a token of this shop. */
  scopesOf(token: string): readonly string[] | undefined {
    if (token === this.offlineToken) return this.store.scopes.split(",");
    return this.customAppTokens.get(token);
  }

  /** Whether token exchange ran since the emulator started (tests look at this). */
  get tokenIssued(): boolean {
    return this.exchanged;
  }

  /** `scopes`: the asking token's (undefined: the app's own, every scope it was granted). */
  rootValue(operation: "query" | "mutation", scopes?: readonly string[]): Record<string, unknown> {
    if (operation === "mutation") {
      const root = mutationRoot({
        store: this.store,
        bulk: this.bulk,
        now: this.events.now,
        customerUpdated: (record) => this.events.customerUpdated(this.domain, record),
        customerCreated: (record) => this.events.customerCreated(this.domain, record),
        stageUploads: (args) => this.events.uploads.create(this.domain, String(shopLegacyId(this.store)), args),
        scopes,
        flowTriggered: (call) => this.flowTriggerCalls.push(call),
        marketing: this.marketing,
      });
      return scopes ? scopedMutationRoot(root, scopes) : root;
    }
    this.queryRoot ??= this.queryRootFields();
    return scopes ? scopedQueryRoot(this.queryRoot, scopes) : this.queryRoot;
  }

  private queryRootFields(): Record<string, unknown> {
    // BulkOperation gids resolve here; every other node through the store's views.
    const node = (id: string) => {
      const op = this.bulk.get(id);
      if (op) return bulkView(op);
      return id.startsWith("gid://shopify/BulkOperation/") ? null : nodeById(this.store, id);
    };
    return {
      ...queryRootFields(this.store),
      node: (args: unknown) => node(idArg.parse(args).id),
      nodes: (args: unknown) => z.object({ ids: z.array(z.string()) }).parse(args).ids.map(node),
      bulkOperation: (args: unknown) => {
        const op = this.bulk.get(idArg.parse(args).id);
        return op ? bulkView(op) : null;
      },
      // `type` defaults to QUERY, as in the schema
      currentBulkOperation: (args: unknown) => {
        const parsed = z.object({ type: z.enum(["QUERY", "MUTATION"]).nullish() }).parse(args);
        const op = this.bulk.current(parsed.type ?? "QUERY");
        return op ? bulkView(op) : null;
      },
    };
  }

  context(): ViewContext {
    return { store: this.store };
  }
}
