import { createUnsubscribeToken } from "../unsubscribe/unsubscribe-token.server";
import { laneKey, rateKey, type DispatchDeps } from "./deps";
import { dispatchLaneJob, type DispatchLanePayload } from "./jobs";
import { prepareMessage, type OutboxRow } from "./message";
import { recordRefusedOptOuts } from "./opt-outs.server";
import { claimDue, extendLeases, nextSendAt, writeOutcomes, type Outcome } from "./outbox.server";
import { recommendProducts } from "./products.server";
import { loadRecipients, loadSuppressions } from "./recipients.server";
import { sendBatch, type SendBatchResult, type SendItem } from "./send-batch.server";
import type { Channel } from "../channels/types";
import type { SourceContent } from "./source";
import { BatchTracking } from "../tracking/message-tracking.server";

// One tick of one lane (the `campaign.dispatch` job): claim due rows, send them, write the
// results, for about `tickBudgetMs`; then queue the next tick — at once while rows are due, at
// the next row's sendAt otherwise — or end the chain when the lane's channel has nothing queued.

// How often a batch writes its accepted sends while it runs (the window a kill can re-send).
const RECORD_SENT_MS = 100;

export type TickEnd = "superseded" | "inactive" | "continue" | "waiting" | "done" | "unready";

interface Lane {
  payload: DispatchLanePayload;
  content: SourceContent;
  channel: Channel;
  ratePerSecond: number;
  status: { value: string; checkedAt: number };
}

export async function runLaneTick(deps: DispatchDeps, payload: DispatchLanePayload): Promise<TickEnd> {
  const { options, coordination } = deps;
  const lane = laneKey(payload.campaignId, payload.channel, payload.lane);
  if (!(await coordination.renewLane(lane, payload.chain, options.laneTtlMs))) return "superseded";
  const campaign = await deps.source.load(payload.shop, payload.campaignId);
  if (!campaign.found || !deps.source.sendingStatuses.has(campaign.status)) {
    await coordination.releaseLane(lane, payload.chain);
    return "inactive";
  }
  const channel = await deps.context.channel(payload.shop, payload.channel);
  if (!campaign.content || !channel.ok) {
    // Nothing can go out until the merchant fixes it; look again in a minute, quietly.
    const problem = campaign.problem ?? (channel.ok ? "?" : channel.problem);
    if (payload.tick % 10 === 0)
      deps.log("warn", "campaign cannot be sent", { campaign: payload.campaignId, problem });
    await schedule(deps, payload, 60_000);
    return "unready";
  }
  const state: Lane = {
    payload,
    content: campaign.content,
    channel: channel.channel,
    ratePerSecond: channel.ratePerSecond,
    status: { value: campaign.status, checkedAt: Date.now() },
  };
  const started = Date.now();
  let claimedAny = false;
  while (Date.now() - started < options.tickBudgetMs) {
    const batch = await runBatch(deps, state);
    if (batch === "empty") break;
    claimedAny = true;
    if (batch.stopped === "inactive") {
      await coordination.releaseLane(lane, payload.chain);
      return "inactive";
    }
    if (batch.stopped === "held") {
      await schedule(deps, payload, batch.holdMs ?? 1_000);
      return "waiting";
    }
  }
  if (claimedAny) {
    await schedule(deps, payload, 0);
    return "continue";
  }
  const next = await nextSendAt(deps.prisma, payload.shop, payload.campaignId, payload.channel);
  if (next) {
    await schedule(
      deps,
      payload,
      Math.min(Math.max(next.getTime() - deps.now().getTime(), 0), options.maxDelayMs),
    );
    return "waiting";
  }
  await coordination.releaseLane(lane, payload.chain);
  await deps.source.drained(payload.shop, payload.campaignId);
  return "done";
}

/** Queues the chain's next tick; the lane stays held until a little after it is due. */
async function schedule(deps: DispatchDeps, payload: DispatchLanePayload, delayMs: number): Promise<void> {
  const lane = laneKey(payload.campaignId, payload.channel, payload.lane);
  await deps.coordination.renewLane(lane, payload.chain, delayMs + deps.options.laneTtlMs);
  await deps.queue.enqueue(
    dispatchLaneJob,
    { ...payload, tick: payload.tick + 1 },
    { shop: payload.shop, delayMs },
  );
}

async function runBatch(deps: DispatchDeps, lane: Lane): Promise<SendBatchResult | "empty"> {
  const { prisma, options } = deps;
  const { shop, campaignId, channel } = lane.payload;
  // Every lane claims `batchSeconds` of the whole rate: while one lane writes results and claims
  // again, the others still have rows to fill the limit with.
  const size = Math.ceil(lane.ratePerSecond * options.batchSeconds);
  const rows = await claimDue(prisma, {
    shop,
    campaignId,
    channel,
    limit: Math.max(1, Math.min(options.maxBatch, size)),
    now: deps.now(),
    leaseMs: options.leaseMs,
  });
  if (rows.length === 0) return "empty";
  if (lane.status.value === "scheduled") {
    await deps.source.started(shop, campaignId);
    lane.status.value = "sending";
  }
  const renew = setInterval(
    () => {
      const until = new Date(deps.now().getTime() + options.leaseMs);
      extendLeases(
        prisma,
        rows.map((row) => row.id),
        until,
      ).catch(() => undefined);
    },
    Math.max(50, Math.floor(options.leaseMs / 3)),
  );
  try {
    const { items, outcomes } = await prepare(deps, lane, rows);
    const result = await sendBatch({
      items,
      channel: lane.channel,
      rateKey: rateKey(shop, channel),
      ratePerSecond: lane.ratePerSecond,
      coordination: deps.coordination,
      isActive: () => isActive(deps, lane),
      withdrawn: deps.source.withdrawn ? (rest) => withdrawnOf(deps, lane, rest) : undefined,
      recordSent: { everyMs: RECORD_SENT_MS, write: (sent) => writeOutcomes(prisma, shop, sent, deps.now()) },
      budgetMs: options.tickBudgetMs,
      now: deps.now,
      random: deps.random,
      streak: streakOf(deps, rateKey(shop, channel)),
    });
    const all = [...outcomes, ...result.outcomes];
    await writeOutcomes(prisma, shop, all, deps.now());
    await recordRefusedOptOuts(deps, shop, channel, rows, all);
    return result;
  } finally {
    clearInterval(renew);
  }
}

function streakOf(deps: DispatchDeps, key: string): { count: number } {
  let streak = deps.streaks.get(key);
  if (!streak) deps.streaks.set(key, (streak = { count: 0 }));
  return streak;
}

async function isActive(deps: DispatchDeps, lane: Lane): Promise<boolean> {
  if (Date.now() - lane.status.checkedAt >= deps.options.statusCheckMs) {
    lane.status.checkedAt = Date.now();
    lane.status.value = (await deps.source.status(lane.payload.shop, lane.payload.campaignId)) ?? "missing";
  }
  return deps.source.sendingStatuses.has(lane.status.value);
}

function withdrawnOf(
  deps: DispatchDeps,
  lane: Lane,
  rows: readonly OutboxRow[],
): Promise<ReadonlyMap<string, string>> {
  const { shop, campaignId } = lane.payload;
  return deps.source.withdrawn?.(shop, campaignId, rows) ?? Promise.resolve(new Map<string, string>());
}

/** Rows that will not be sent now get their outcome here; the rest become messages. */
async function prepare(
  deps: DispatchDeps,
  lane: Lane,
  rows: OutboxRow[],
): Promise<{ items: SendItem[]; outcomes: Outcome[] }> {
  const { shop, campaignId, channel } = lane.payload;
  const ids = [...new Set(rows.map((row) => row.customerId))];
  const now = deps.now();
  const { shop: storefront } = lane.content.variables;
  const [recipients, suppressions, products] = await Promise.all([
    loadRecipients(deps.prisma, shop, ids),
    loadSuppressions(deps.prisma, shop, channel, ids),
    lane.content.includeProducts
      ? recommendProducts(deps.prisma, { shop, customerIds: ids, storefront, now })
      : Promise.resolve(null),
  ]);
  const withdrawn = await withdrawnOf(deps, lane, rows);
  const tracking =
    deps.trackingSecret && new BatchTracking(deps.appUrl, deps.trackingSecret, lane.content.utmCampaign);
  const items: SendItem[] = [];
  const outcomes: Outcome[] = [];
  for (const row of rows) {
    const reason = withdrawn.get(row.id);
    if (reason) {
      outcomes.push({ kind: "skipped", id: row.id, attempts: row.attempts, reason });
      continue;
    }
    const unsubscribeUrl = (on: "email" | "sms") =>
      `${deps.appUrl.replace(/\/+$/, "")}/unsubscribe/${createUnsubscribeToken(
        { shop, customerId: row.customerId, channel: on, sendId: row.id },
        deps.unsubscribeSecret,
        now,
      )}`;
    const prepared = prepareMessage({
      shop,
      campaignId,
      content: lane.content,
      row,
      recipient: recipients.get(row.customerId),
      suppressions: suppressions.get(row.customerId) ?? [],
      unsubscribeUrl,
      now,
      products: products ? (products.get(row.customerId) ?? []) : undefined,
      tracking: tracking?.of(row),
    });
    const base = { id: row.id, attempts: row.attempts };
    if (prepared.kind === "send") items.push({ row, message: prepared.message });
    else if (prepared.kind === "skip") outcomes.push({ kind: "skipped", ...base, reason: prepared.reason });
    else if (prepared.kind === "fail") outcomes.push({ kind: "failed", ...base, error: prepared.reason });
    else outcomes.push({ kind: "release", ...base, sendAt: prepared.sendAt });
  }
  await tracking?.save(deps.prisma, shop);
  return { items, outcomes };
}
