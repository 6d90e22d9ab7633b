import type { PrismaClient } from "@prisma/client";
import { writeBulk } from "./bulk.server";
import type { TagMode, TagWriteDeps } from "./deps";
import { writeDirect } from "./direct.server";
import { pendingCustomers } from "./pending.server";
import { recordTagged } from "./tagged.server";
import { inTurn } from "./turns.server";

// Segment write-back: each customer carries exactly one rfm:<segment> tag in Shopify, so Shopify
// Email, Flow and the segment editor can use our segments. Customer.taggedSegment records what
// Shopify holds; it changes only after Shopify confirmed the customer's lines, so a crash or
// retry resumes with what is left and a run with nothing left sends no request at all.

export interface SegmentTagDeps extends TagWriteDeps {
  prisma: PrismaClient;
  /** customers per bulk run (default 50,000: a variables file of about 4 MB) */
  batchSize?: number;
  /** a batch of at most this many customers is written a request per customer (default 10) */
  directLimit?: number;
}

export interface SegmentTagResult {
  mode: TagMode;
  /** customers whose tags were written */
  updated: number;
  /** customers Shopify refused (userErrors, e.g. deleted since the last sync); retried next run */
  failed: number;
}

async function tagsEnabled(prisma: PrismaClient, shop: string): Promise<boolean> {
  const settings = await prisma.shopSettings.findUnique({ where: { shop }, select: { tagSegments: true } });
  return settings?.tagSegments ?? false;
}

async function run(deps: SegmentTagDeps, shop: string): Promise<SegmentTagResult> {
  const mode: TagMode = (await tagsEnabled(deps.prisma, shop)) ? "tag" : "untag";
  const batchSize = deps.batchSize ?? 50_000;
  const result: SegmentTagResult = { mode, updated: 0, failed: 0 };
  let after = -1n;
  for (;;) {
    // Keyset by id: customers Shopify refused stay pending without being sent again in this run.
    const batch = await pendingCustomers(deps.prisma, shop, mode, after, batchSize);
    const last = batch.at(-1);
    if (!last) break;
    after = last.id;
    const write = batch.length <= (deps.directLimit ?? 10) ? writeDirect : writeBulk;
    const tagged = await write(deps, shop, mode, batch);
    await recordTagged(deps.prisma, shop, tagged);
    result.updated += tagged.length;
    result.failed += batch.length - tagged.length;
    if (batch.length < batchSize) break;
  }
  deps.log(`segment tags (${shop}): ${mode} ${result.updated} customers, ${result.failed} refused`);
  return result;
}

/**
 * Brings the shop's rfm:* tags in Shopify in line with the stored segments: with
 * ShopSettings.tagSegments on, every customer whose segment differs from taggedSegment gets
 * rfm:<segment> and loses its stale rfm:* tag; with it off, the app's tags are removed. Runs for
 * one shop take turns within a process (with the segment metafield's too), so two triggers never
 * write the same customers at once.
 */
export async function syncSegmentTags(deps: SegmentTagDeps, shop: string): Promise<SegmentTagResult> {
  return inTurn(shop, () => run(deps, shop));
}
