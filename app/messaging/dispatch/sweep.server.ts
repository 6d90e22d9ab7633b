import { randomBytes } from "node:crypto";
import { z } from "zod";
import { laneKey, type DispatchDeps } from "./deps";
import { DISPATCH_CHANNELS, dispatchLaneJob } from "./jobs";
import { requeueAbandoned } from "./outbox.server";

// The safety net, run every `sweepMs` by every worker process: rows whose worker died go back to
// the queue, and every lane of an active campaign that has queued rows but no live chain gets a
// new one (the lane's key in the coordination store says who holds it). A lost job, a killed
// worker or a restart therefore never strands a campaign; two workers sweeping at once start one
// chain per lane, because taking a lane is atomic.

const Pending = z.object({ channel: z.enum(DISPATCH_CHANNELS), next: z.coerce.date() });

export interface SweepReport {
  campaigns: number;
  requeued: number;
  started: number;
  completed: number;
}

export async function sweep(deps: DispatchDeps): Promise<SweepReport> {
  const requeued = await requeueAbandoned(deps.prisma, deps.now());
  if (requeued > 0)
    deps.log("info", "dispatch: messages of stopped workers queued again or failed", { messages: requeued });
  const campaigns = await deps.source.sending();
  const report: SweepReport = { campaigns: campaigns.length, requeued, started: 0, completed: 0 };
  for (const campaign of campaigns) {
    const result = await reviveCampaign(deps, campaign.shop, campaign.id);
    report.started += result.started;
    if (result.completed) report.completed += 1;
  }
  return report;
}

/**
 * Starts chains for a campaign's idle lanes that have queued rows (at once, or delayed until the
 * first row is due); completes the campaign when nothing is left. Also the way to start sending
 * right after scheduling or resuming, rather than at the next sweep.
 */
export async function reviveCampaign(
  deps: DispatchDeps,
  shop: string,
  campaignId: string,
): Promise<{ started: number; completed: boolean }> {
  const { coordination, options } = deps;
  const lanes = DISPATCH_CHANNELS.flatMap((channel) =>
    Array.from({ length: options.lanes }, (_, lane) => ({
      channel,
      lane,
      key: laneKey(campaignId, channel, lane),
    })),
  );
  const held = await coordination.heldLanes(lanes.map((l) => l.key));
  if (held.every(Boolean)) return { started: 0, completed: false };
  const rows = await deps.prisma.$queryRaw<unknown[]>`
    SELECT channel, min("sendAt") AS next FROM "OutboxMessage"
    WHERE "campaignId" = ${campaignId} AND shop = ${shop} AND status = 'queued' AND "sendAt" IS NOT NULL
    GROUP BY channel`;
  const pending = new Map<string, Date>();
  for (const raw of rows) {
    const row = Pending.safeParse(raw);
    if (row.success) pending.set(row.data.channel, row.data.next);
  }
  if (pending.size === 0 && !held.some(Boolean)) {
    const change = await deps.source.drained(shop, campaignId);
    return { started: 0, completed: change.changed };
  }
  let started = 0;
  for (const [i, { channel, lane, key }] of lanes.entries()) {
    const next = pending.get(channel);
    if (held[i] || !next) continue;
    const delayMs = Math.min(Math.max(next.getTime() - deps.now().getTime(), 0), options.maxDelayMs);
    const chain = randomBytes(9).toString("base64url");
    if (!(await coordination.claimLane(key, chain, delayMs + options.laneTtlMs))) continue;
    await deps.queue.enqueue(
      dispatchLaneJob,
      { shop, campaignId, channel, lane, chain, tick: 0 },
      { shop, delayMs },
    );
    started += 1;
  }
  return { started, completed: false };
}
