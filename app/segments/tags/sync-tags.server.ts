import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import type { AdminGraphql } from "../../sync/store-overview.server";
import { callAdmin } from "../../sync/backfill/graphql-client.server";
import { SEGMENTS } from "../rules";
import { SEGMENT_TAG_ADD_MUTATION, SEGMENT_TAG_REMOVE_MUTATION, SEGMENT_TAG_REPLACE_MUTATION } from "./documents";

// Segment write-back: each customer carries exactly one rfm:<segment> tag in Shopify, so Shopify
// Email, Flow and the segment editor can use our segments. Customer.taggedSegment records what
// Shopify holds; it is updated after each customer's mutation succeeds, so a crash or retry
// resumes with what is left and a run with nothing left sends no request at all.

export interface SegmentTagDeps {
  prisma: PrismaClient;
  admin: AdminGraphql;
  log(line: string): void;
  sleep(ms: number): Promise<void>;
  /** customers read per query (default 250) */
  batchSize?: number;
  /** mutations in flight at once (default 4); THROTTLED answers are waited out by callAdmin */
  concurrency?: number;
}

export interface SegmentTagResult {
  mode: "tag" | "untag";
  /** customers whose tags were written */
  updated: number;
  /** customers Shopify refused (userErrors, e.g. deleted since the last sync); retried next run */
  failed: number;
}

export const TAG_PREFIX = "rfm:";
export const segmentTag = (segment: string): string => `${TAG_PREFIX}${segment}`;
const APP_TAGS: readonly string[] = SEGMENTS.map(segmentTag);

const UserErrors = z.array(z.object({ field: z.array(z.string()).nullable().optional(), message: z.string() }));
const TagsPayload = z.object({ node: z.object({ id: z.string() }).nullable(), userErrors: UserErrors }).nullable();
const TagResult = z.object({ tagsAdd: TagsPayload.optional(), tagsRemove: TagsPayload.optional() });

interface Pending {
  id: bigint;
  segment: string;
  taggedSegment: string | null;
  tags: string[];
}

/** The app's tags the customer should lose: the one last written plus any other rfm:<segment> seen on it. */
export function staleTags(customer: Pick<Pending, "taggedSegment" | "tags">, keep: string | null): string[] {
  const stale = new Set(customer.tags.filter((t) => APP_TAGS.includes(t)));
  if (customer.taggedSegment !== null) stale.add(segmentTag(customer.taggedSegment));
  if (keep !== null) stale.delete(segmentTag(keep));
  return [...stale].sort();
}

async function tagsEnabled(prisma: PrismaClient, shop: string): Promise<boolean> {
  const settings = await prisma.shopSettings.findUnique({ where: { shop }, select: { tagSegments: true } });
  return settings?.tagSegments ?? false;
}

/** Runs `work` over items with at most `limit` in flight. */
async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}

/**
 * Brings the shop's rfm:* tags in Shopify in line with the stored segments: with
 * ShopSettings.tagSegments on, every customer whose segment differs from taggedSegment gets
 * rfm:<segment> and loses its stale rfm:* tag; with it off, the app's tags are removed.
 */
export async function syncSegmentTags(deps: SegmentTagDeps, shop: string): Promise<SegmentTagResult> {
  const mode = (await tagsEnabled(deps.prisma, shop)) ? "tag" : "untag";
  const batchSize = deps.batchSize ?? 250;
  const result: SegmentTagResult = { mode, updated: 0, failed: 0 };
  let after = -1n;
  for (;;) {
    // Keyset by id: customers Shopify refused stay pending without being read again in this run.
    const batch: Pending[] = await deps.prisma.customer.findMany({
      where:
        mode === "tag"
          ? { shop, id: { gt: after }, OR: [{ taggedSegment: null }, { NOT: { taggedSegment: { equals: deps.prisma.customer.fields.segment } } }] }
          : { shop, id: { gt: after }, OR: [{ taggedSegment: { not: null } }, { tags: { hasSome: [...APP_TAGS] } }] },
      orderBy: { id: "asc" },
      take: batchSize,
      select: { id: true, segment: true, taggedSegment: true, tags: true },
    });
    const last = batch.at(-1);
    if (!last) break;
    after = last.id;
    await inParallel(batch, deps.concurrency ?? 4, async (customer) => {
      const ok = mode === "tag" ? await tagOne(deps, shop, customer) : await untagOne(deps, shop, customer);
      if (ok) result.updated++;
      else result.failed++;
    });
    if (batch.length < batchSize) break;
  }
  deps.log(`segment tags (${shop}): ${mode} ${result.updated} customers, ${result.failed} refused`);
  return result;
}

const gid = (id: bigint) => `gid://shopify/Customer/${id}`;

async function send(deps: SegmentTagDeps, shop: string, customer: Pending, document: string, variables: Record<string, unknown>): Promise<boolean> {
  const data = TagResult.parse(await callAdmin(deps.admin, document, { id: gid(customer.id), ...variables }, { sleep: deps.sleep, log: deps.log }));
  const errors = [...(data.tagsAdd?.userErrors ?? []), ...(data.tagsRemove?.userErrors ?? [])];
  if (errors.length > 0) {
    deps.log(`segment tags (${shop}): customer ${customer.id} refused: ${errors.map((e) => e.message).join("; ")}`);
    return false;
  }
  return true;
}

async function tagOne(deps: SegmentTagDeps, shop: string, customer: Pending): Promise<boolean> {
  const add = [segmentTag(customer.segment)];
  const remove = staleTags(customer, customer.segment);
  const ok =
    remove.length > 0
      ? await send(deps, shop, customer, SEGMENT_TAG_REPLACE_MUTATION, { add, remove })
      : await send(deps, shop, customer, SEGMENT_TAG_ADD_MUTATION, { add });
  // What Shopify now holds is the segment we sent, even if a rescore moved the customer since.
  if (ok) await recordTagged(deps, shop, customer.id, customer.segment);
  return ok;
}

async function untagOne(deps: SegmentTagDeps, shop: string, customer: Pending): Promise<boolean> {
  const remove = staleTags(customer, null);
  const ok = remove.length === 0 || (await send(deps, shop, customer, SEGMENT_TAG_REMOVE_MUTATION, { remove }));
  if (ok) await recordTagged(deps, shop, customer.id, null);
  return ok;
}

/**
 * Stores what Shopify now holds. The stored tags would follow with the customers/update webhook;
 * editing them in place (not from the row read earlier) keeps a webhook applied meanwhile intact.
 */
async function recordTagged(deps: SegmentTagDeps, shop: string, id: bigint, segment: string | null): Promise<void> {
  const added = segment === null ? [] : [segmentTag(segment)];
  await deps.prisma.$executeRaw`
    UPDATE "Customer"
    SET "taggedSegment" = ${segment},
        tags = ARRAY(SELECT t FROM unnest(tags) AS t WHERE t <> ALL(${[...APP_TAGS]}::text[])) || ${added}::text[]
    WHERE shop = ${shop} AND id = ${id}`;
}
