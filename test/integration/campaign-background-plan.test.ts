import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  runPlanCampaignJob,
  runPlanPlaybookJob,
  type PlanJobDeps,
} from "~/campaigns/plan/plan-job.server";
import type { PlanJobPayload, PlaybookJobPayload } from "~/campaigns/plan/request-plan.server";
import { campaignAction, type CampaignActionEnv } from "~/ui/campaigns/campaign-action.server";
import { loadCampaignDetail } from "~/ui/campaigns/campaign-detail.server";
import { loadCampaignsPage, planPlaybookFromForm } from "~/ui/campaigns/campaigns-page.server";
import { PermanentJobError } from "~/jobs/index.server";
import { databaseModes, type TestDatabase } from "./helpers/db";

// Large audiences are planned by the campaigns.plan job, not in the merchant's request: the page
// shows "planning" until the job is done, a newer request supersedes an older one, and a plan the
// campaign refuses is shown as its error.

const SHOP = "background-plan.myshopify.com";
const NOW = new Date("2026-11-20T12:00:00Z");
const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.append(key, value);
  return data;
};
const ready = { email: { configured: true, testOk: true, testedAt: null, testError: null } };
const attempt = { attempt: 1, maxAttempts: 2 };

describe.each(databaseModes)("background plans ($name)", (mode) => {
  let db: TestDatabase;
  let deps: PlanJobDeps;
  let clock = NOW.getTime();
  const queued: PlanJobPayload[] = [];
  let env: CampaignActionEnv;
  beforeAll(async () => {
    db = await mode.open();
    // Each request a millisecond after the last, as two clicks would be.
    deps = { prisma: db.prisma, now: () => new Date(++clock), log: () => undefined };
    env = {
      deps,
      prisma: db.prisma,
      readiness: async () => ready,
      enqueuePlan: async (payload) => void queued.push(payload),
      backgroundFrom: 0,
    };
    await planPlaybookFromForm(deps, SHOP, form({ playbook: "cyber-week", year: "2026", country: "US" }));
  });
  afterAll(async () => {
    await db.close();
  });

  const campaignOf = async (segment: string) => {
    const page = await loadCampaignsPage(db.prisma, SHOP, new URLSearchParams(), NOW);
    const id = page.campaigns.find((c) => c.segment === segment)?.id;
    if (!id) throw new Error(`no ${segment} campaign`);
    return id;
  };
  const detail = async (id: string) =>
    (await loadCampaignDetail(db.prisma, SHOP, id, new URLSearchParams(), ready)).campaign;

  it("queues the plan, shows it as planning, and the job finishes it", async () => {
    const id = await campaignOf("vip");
    const result = await campaignAction(env, SHOP, id, form({ intent: "plan" }));
    expect(result).toMatchObject({
      ok: true,
      intent: "plan",
      message: expect.stringMatching(/in the background/),
    });
    const payload = queued.at(-1);
    expect(payload).toMatchObject({ shop: SHOP, campaignId: id, sendNow: false });
    expect(await detail(id)).toMatchObject({ planRequestedAt: payload?.requestedAt, planError: null });

    if (payload) await runPlanCampaignJob(deps, payload, attempt);
    const done = await detail(id);
    expect(done).toMatchObject({ planRequestedAt: null, planError: null });
    expect(done.plannedAt).not.toBeNull();
  });

  it("runs only the latest request: an older one still queued does nothing", async () => {
    const id = await campaignOf("lapsed");
    await campaignAction(env, SHOP, id, form({ intent: "plan" }));
    await campaignAction(env, SHOP, id, form({ intent: "plan" }));
    const [older, newer] = queued.slice(-2);
    if (!older || !newer) throw new Error("two requests expected");
    await runPlanCampaignJob(deps, older, attempt);
    expect((await detail(id)).planRequestedAt).toBe(newer.requestedAt);
    await runPlanCampaignJob(deps, newer, attempt);
    expect(await detail(id)).toMatchObject({ planRequestedAt: null, planError: null });
  });

  it("shows why a plan was refused, and does not retry it", async () => {
    const id = await campaignOf("recent");
    await campaignAction(env, SHOP, id, form({ intent: "plan" }));
    const payload = queued.at(-1);
    if (!payload) throw new Error("a request expected");
    // Cancelled meanwhile: the campaign is no longer a draft that can be planned.
    await campaignAction(env, SHOP, id, form({ intent: "cancel" }));
    await campaignAction(env, SHOP, id, form({ intent: "plan" }));
    const refused = queued.at(-1);
    if (!refused || refused === payload) throw new Error("a second request expected");
    await expect(runPlanCampaignJob(deps, refused, attempt)).rejects.toBeInstanceOf(PermanentJobError);
    const shown = await detail(id);
    expect(shown.planRequestedAt).toBeNull();
    expect(shown.planError).toMatch(/\S/);
  });

  it("plans a whole playbook in one job when the wizard runs on a large shop", async () => {
    const playbooks: PlaybookJobPayload[] = [];
    const result = await planPlaybookFromForm(
      deps,
      SHOP,
      form({ playbook: "christmas", year: "2026", country: "US" }),
      {
        prisma: db.prisma,
        enqueue: async (payload) => void playbooks.push(payload),
        from: 0,
      },
    );
    expect(result).toMatchObject({
      ok: true,
      planned: [],
      notes: expect.arrayContaining([expect.stringMatching(/in the background/)]),
    });
    const payload = playbooks[0];
    if (!payload) throw new Error("a playbook job expected");
    const christmas = () =>
      loadCampaignsPage(db.prisma, SHOP, new URLSearchParams(), NOW).then((page) =>
        page.campaigns.filter((c) => c.key.startsWith("christmas-2026:") && c.enabled),
      );
    const before = await christmas();
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((c) => c.planning && !c.planned)).toBe(true);
    await runPlanPlaybookJob(deps, payload, attempt);
    expect((await christmas()).every((c) => !c.planning && c.planned)).toBe(true);
  });
});
