import type { PrismaClient } from "@prisma/client";
import { callAdmin } from "../../admin-api/graphql-client.server";
import { runBulkMutation } from "../../sync/bulk-mutation/run-bulk-mutation.server";
import type { TagWriteDeps } from "./deps";
import { SEGMENT_METAFIELDS_SET_MUTATION } from "./documents";
import {
  inGroups,
  METAFIELDS_PER_CALL,
  metafieldsSetOutcome,
  metafieldsVariables,
  type SegmentMetafield,
} from "./metafield-plan";
import { segmentsToWrite } from "./metafield-pending.server";
import { inTurn } from "./turns.server";

// The segment metafield write-back ($app.rfm_segment on each customer), beside the tags and in the
// same way: a request per group of 25 for a few customers, bulk mutations for many — but always,
// whatever the tag option says, and without a record of what Shopify holds: the customers that may
// have changed since `since` are written again (see metafield-pending.server.ts).

export interface SegmentMetafieldDeps extends TagWriteDeps {
  prisma: Pick<PrismaClient, "$queryRaw">;
  /** customers per bulk run (default 50,000: 2,000 lines of 25) */
  batchSize?: number;
  /** a batch of at most this many customers is written with plain requests (default 50: two calls) */
  directLimit?: number;
}

export interface SegmentMetafieldResult {
  /** customers whose metafield Shopify confirmed */
  written: number;
  /** customers Shopify refused (userErrors, e.g. deleted since the last sync) */
  refused: number;
}

const LOGGED_REFUSALS = 20;
type Groups = readonly (readonly SegmentMetafield[])[];
/** Sends each group as one metafieldsSet; the indexes of the groups Shopify set. */
type Send = (deps: SegmentMetafieldDeps, shop: string, groups: Groups) => Promise<Set<number>>;

function refusalLog(deps: SegmentMetafieldDeps, shop: string) {
  let refused = 0;
  return {
    refuse(group: readonly SegmentMetafield[], reason: string) {
      if (++refused > LOGGED_REFUSALS) return;
      const who = group.length === 1 ? `customer ${group[0]?.id}` : `${group.length} customers`;
      deps.log(`segment metafields (${shop}): ${who} refused: ${reason}`);
    },
    done() {
      if (refused > LOGGED_REFUSALS)
        deps.log(`segment metafields (${shop}): ${refused - LOGGED_REFUSALS} more groups refused`);
    },
  };
}

const sendDirect: Send = async (deps, shop, groups) => {
  const set = new Set<number>();
  const log = refusalLog(deps, shop);
  for (const [i, group] of groups.entries()) {
    const data = await callAdmin(deps.admin, SEGMENT_METAFIELDS_SET_MUTATION, metafieldsVariables(group), {
      sleep: deps.sleep,
      log: deps.log,
    });
    const verdict = metafieldsSetOutcome(data, null, group.length);
    if (verdict.ok) set.add(i);
    else log.refuse(group, verdict.reason);
  }
  log.done();
  return set;
};

const sendBulk: Send = async (deps, shop, groups) => {
  const set = new Set<number>();
  const log = refusalLog(deps, shop);
  const outcome = await runBulkMutation(
    deps,
    SEGMENT_METAFIELDS_SET_MUTATION,
    groups.map((group) => JSON.stringify(metafieldsVariables(group))),
    (result) => {
      const group = groups[result.lineNumber];
      if (!group) return;
      const verdict = metafieldsSetOutcome(result.data, result.errors, group.length);
      if (verdict.ok) set.add(result.lineNumber);
      else log.refuse(group, verdict.reason);
    },
    `segment metafields (${shop})`,
  );
  log.done();
  // A run that did not complete may have set any of its lines: the job's retry writes them all again.
  if (outcome.status !== "COMPLETED") {
    throw new Error(
      `segment metafields (${shop}): bulk metafieldsSet ended ${outcome.status}${outcome.errorCode ? ` (${outcome.errorCode})` : ""}; retrying later`,
    );
  }
  return set;
};

/** Groups of 25; a refused group (set as a whole or not at all) is tried again customer by customer. */
async function writeBatch(
  deps: SegmentMetafieldDeps,
  shop: string,
  batch: readonly SegmentMetafield[],
): Promise<SegmentMetafieldResult> {
  const limit = deps.directLimit ?? 50;
  const sendFor = (customers: number): Send => (customers <= limit ? sendDirect : sendBulk);
  const groups = inGroups(batch, METAFIELDS_PER_CALL);
  const set = await sendFor(batch.length)(deps, shop, groups);
  const result: SegmentMetafieldResult = { written: 0, refused: 0 };
  const again: SegmentMetafield[][] = [];
  for (const [i, group] of groups.entries()) {
    if (set.has(i)) result.written += group.length;
    else if (group.length === 1) result.refused += 1;
    else again.push(...group.map((customer) => [customer]));
  }
  if (again.length > 0) {
    const single = await sendFor(again.length)(deps, shop, again);
    result.written += single.size;
    result.refused += again.length - single.size;
  }
  return result;
}

async function run(
  deps: SegmentMetafieldDeps,
  shop: string,
  since: Date | null,
): Promise<SegmentMetafieldResult> {
  const batchSize = deps.batchSize ?? 50_000;
  const result: SegmentMetafieldResult = { written: 0, refused: 0 };
  let after = -1n;
  for (;;) {
    const batch = await segmentsToWrite(deps.prisma, shop, since, after, batchSize);
    const last = batch.at(-1);
    if (!last) break;
    after = last.id;
    const done = await writeBatch(deps, shop, batch);
    result.written += done.written;
    result.refused += done.refused;
    if (batch.length < batchSize) break;
  }
  const scope = since === null ? "every customer" : `customers moved or synced since ${since.toISOString()}`;
  deps.log(`segment metafields (${shop}): ${scope}: ${result.written} written, ${result.refused} refused`);
  return result;
}

/**
 * Sets $app.rfm_segment to the stored segment on every customer whose segment may have changed
 * since `since` (every customer when null). Idempotent; takes turns with the shop's tag write-back.
 */
export async function syncSegmentMetafields(
  deps: SegmentMetafieldDeps,
  shop: string,
  since: Date | null,
): Promise<SegmentMetafieldResult> {
  return inTurn(shop, () => run(deps, shop, since));
}
