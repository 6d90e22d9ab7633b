import { bulkWriter, prisma } from "../db.server";
import { logger } from "../logger.server";
import type { CampaignDeps } from "./lifecycle/deps";
import type { PlanJobDeps } from "./plan/plan-job.server";

// The campaigns stage wired to the running app: its database, clock and log, for the pages, their
// JSON twin, the Settings page and the job worker alike. (The plan CLI reads files, not the app's
// database: its clock is --as-of.)

/** What the campaigns.plan and campaigns.plan-playbook jobs run with (the app's database, clock and log). */
export function planJobDeps(): PlanJobDeps {
  return { prisma, writer: bulkWriter(), now: () => new Date(), log: (line) => logger.info(line) };
}

export function campaignDeps(): CampaignDeps {
  return planJobDeps();
}
