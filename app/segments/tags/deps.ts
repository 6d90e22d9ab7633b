import type { BulkMutationDeps } from "../../sync/bulk-mutation/run-bulk-mutation.server";

/** "tag": every customer carries rfm:<its segment>; "untag": the option is off, the app's tags go. */
export type TagMode = "tag" | "untag";

/** What writing tags to Shopify needs (the Admin client, a logger without personal data, a clock to wait). */
export interface TagWriteDeps extends BulkMutationDeps {
  /** requests in flight at once on the per-customer path (default 4) */
  concurrency?: number;
}
