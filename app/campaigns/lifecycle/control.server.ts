import type { PrismaClient } from "@prisma/client";
import { changeCampaignStatus, type StatusChange } from "./change-campaign-status.server";
import type { CampaignDeps } from "./deps";

// Pause, resume and cancel as the campaigns stage defines them (changeCampaignStatus: one
// conditional statement each), plus what only the dispatcher knows. Lanes see the new status within
// `statusCheckMs` and give their unsent rows back; pause and cancel then wait until nothing of the
// campaign is in flight, so when they return no further message goes out — unless a provider call
// hangs past `waitMs`, which `inFlight` reports. Resume starts the lanes at once (`kick`).

export interface ControlDeps extends CampaignDeps {
  prisma: PrismaClient;
  /** the dispatcher's `kick`; without it the next sweep starts the lanes */
  kick?: (shop: string, campaignId: string) => Promise<unknown>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until no row of the campaign is being sent by a live worker; returns how many still are. */
export async function waitUntilIdle(
  prisma: PrismaClient,
  shop: string,
  campaignId: string,
  waitMs: number,
): Promise<number> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const inFlight = await prisma.outboxMessage.count({
      where: { campaignId, shop, status: "sending", leaseUntil: { gt: new Date() } },
    });
    if (inFlight === 0 || Date.now() >= deadline) return inFlight;
    await sleep(50);
  }
}

export async function pauseCampaign(
  deps: ControlDeps,
  shop: string,
  campaignId: string,
  { waitMs = 10_000 }: { waitMs?: number } = {},
): Promise<StatusChange & { inFlight: number }> {
  const change = await changeCampaignStatus(deps, shop, campaignId, "pause");
  return { ...change, inFlight: await waitUntilIdle(deps.prisma, shop, campaignId, waitMs) };
}

export async function resumeCampaign(
  deps: ControlDeps,
  shop: string,
  campaignId: string,
): Promise<StatusChange> {
  const change = await changeCampaignStatus(deps, shop, campaignId, "resume");
  if (change.changed) await deps.kick?.(shop, campaignId);
  return change;
}

/** Rows the lanes give back after the cancel become skipped `cancelled` as they are written. */
export async function cancelCampaign(
  deps: ControlDeps,
  shop: string,
  campaignId: string,
  { waitMs = 10_000 }: { waitMs?: number } = {},
): Promise<StatusChange & { inFlight: number }> {
  const change = await changeCampaignStatus(deps, shop, campaignId, "cancel");
  return { ...change, inFlight: await waitUntilIdle(deps.prisma, shop, campaignId, waitMs) };
}
