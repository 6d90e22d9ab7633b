import { z } from "zod";
import type { Emulator } from "../../test/emulator/index";
import { fetchWithSessionToken } from "./admin-request";

const SyncStatus = z.object({
  backfill: z
    .object({
      id: z.string(),
      startedAt: z.string(),
      status: z.string(),
      phase: z.string(),
      customersRead: z.number(),
      ordersRead: z.number(),
      linesSkipped: z.number(),
      error: z.string().nullable(),
    })
    .nullable(),
  counts: z.object({
    customers: z.number(),
    orders: z.number(),
    countedOrders: z.number(),
    buyers: z.number(),
    revenueMinor: z.string(),
  }),
  webhooks: z.object({ received: z.number(), processed: z.number(), failed: z.number() }),
  segments: z.object({ scoredAt: z.string().nullable(), counts: z.record(z.number()) }),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export async function syncStatus(appUrl: string, emulator: Emulator, shop: string): Promise<SyncStatus> {
  const response = await fetchWithSessionToken(`${appUrl}/app/sync-status.json`, emulator, shop);
  if (!response.ok) throw new Error(`sync status: HTTP ${response.status}`);
  return SyncStatus.parse(await response.json());
}

/** Follows the app's backfill until it completes or fails, reporting the phase as it changes. */
export async function waitForSync(
  appUrl: string,
  emulator: Emulator,
  shop: string,
  options: { timeoutMs?: number; onPhase?: (line: string) => void } = {},
): Promise<SyncStatus> {
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  let lastPhase = "";
  for (;;) {
    const status = await syncStatus(appUrl, emulator, shop);
    const run = status.backfill;
    if (run && run.phase !== lastPhase) {
      lastPhase = run.phase;
      options.onPhase?.(`sync: ${run.phase} (${run.customersRead} customers, ${run.ordersRead} orders read)`);
    }
    if (run && run.status !== "running") return status;
    if (Date.now() > deadline)
      throw new Error(`the backfill did not finish in time (phase ${run?.phase ?? "none"})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Waits until the customers have been scored after the backfill (the first full rescore). */
export async function waitForSegments(
  appUrl: string,
  emulator: Emulator,
  shop: string,
  options: { after?: string; timeoutMs?: number } = {},
): Promise<SyncStatus> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    const status = await syncStatus(appUrl, emulator, shop);
    const scoredAt = status.segments.scoredAt;
    if (scoredAt !== null && (!options.after || scoredAt > options.after)) return status;
    if (Date.now() > deadline) throw new Error("the customers were not scored in time");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Waits until the work the first rescore sets off has come back: every customer holds the segment
 * metafield the app writes, and the webhooks that write caused (a bulk mutation's finish) are
 * processed, the counts unchanged for a second. Tests that count webhooks start from here.
 */
export async function waitForQuiet(
  appUrl: string,
  emulator: Emulator,
  shop: string,
  options: { timeoutMs?: number } = {},
): Promise<SyncStatus> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  await waitForSegments(appUrl, emulator, shop, { timeoutMs });
  const store = emulator.store(shop);
  const written = () =>
    [...store.customers].every((c) => store.metafields.get(c.id, "$app", "rfm_segment") !== undefined);
  let last = "";
  let steadySince = Date.now();
  for (;;) {
    const status = await syncStatus(appUrl, emulator, shop);
    const counts = JSON.stringify(status.webhooks);
    if (counts !== last) [last, steadySince] = [counts, Date.now()];
    else if (status.webhooks.received === 0 && Date.now() - steadySince >= 1_000 && written()) return status;
    if (Date.now() > deadline) throw new Error("the app's webhooks did not settle in time");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
