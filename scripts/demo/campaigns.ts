import { z } from "zod";
import type { Emulator } from "../../test/emulator/index";
import { fetchWithSessionToken } from "./admin-request";
import type { DemoCheck } from "./check";

// The demo's campaign step, driven over HTTP like a merchant's browser: plan the season at hand, point the
// channels at the emulator's sinks, send one campaign now, wait for its first send to go out, then
// compare what the app's outbox says was sent with what the sinks received, and the greeting of
// each email the SMTP sink holds with the generated store's name for its recipient.

const API = "/app/campaigns.json";
const SINK_OF: Record<string, "smtp" | "twilio" | "webhook"> = { email: "smtp", sms: "twilio", webhook: "webhook" };

const Plan = z.object({ ok: z.literal(true), year: z.number(), planned: z.array(z.object({ key: z.string(), toSend: z.number() })) });
const List = z.object({ campaigns: z.array(z.object({ id: z.string(), key: z.string(), status: z.string() })) });
const Detail = z.object({
  campaign: z.object({ status: z.string() }),
  progress: z.object({ counts: z.record(z.number()), nextSendAt: z.string().nullable() }),
  audience: z.object({ groups: z.array(z.object({ segment: z.string(), channel: z.string(), status: z.string(), rows: z.number() })) }),
});
const Stats = z.object({ stats: z.object({ accepted: z.number(), uniqueKeys: z.number() }) });
const SinksJson = z.object({ smtp: Stats, twilio: Stats, webhook: Stats });

export interface CampaignDemo {
  key: string;
  campaignId: string;
  /** sent rows in the outbox, per "segment channel" */
  sent: Array<{ segment: string; channel: string; outbox: number; sink: number }>;
  checks: DemoCheck[];
}

interface Ctx {
  appUrl: string;
  emulator: Emulator;
  shop: string;
}

async function call<T>(
  ctx: Ctx,
  path: string,
  schema: z.ZodType<T>,
  form?: Record<string, string>,
  answered: (status: number) => boolean = (status) => status >= 200 && status < 300,
): Promise<T> {
  const url = new URL(path, ctx.appUrl);
  const init: RequestInit = form ? { method: "POST", body: new URLSearchParams(form) } : {};
  const response = await fetchWithSessionToken(url.toString(), ctx.emulator, ctx.shop, init);
  const text = await response.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // reported below with the status
  }
  const parsed = schema.safeParse(body);
  if (!answered(response.status) || !parsed.success)
    throw new Error(`${init.method ?? "GET"} ${url.pathname}: HTTP ${response.status} ${(body === null ? text : JSON.stringify(body)).slice(0, 300)}`);
  return parsed.data;
}

const detail = (ctx: Ctx, id: string) => call(ctx, `${API}?campaign=${encodeURIComponent(id)}`, Detail);

const Offered = z.object({ playbooks: z.array(z.object({ key: z.string(), name: z.string(), year: z.number() })) });
export type OfferedPlaybook = z.infer<typeof Offered>["playbooks"][number];

/**
 * The seasons a merchant would send now, soonest first: the playbooks the wizard offers (each its
 * next season not over), by year, in the calendar's order (Cyber Week before Christmas), so
 * December plans this Christmas rather than next year's Cyber Week.
 */
export async function offeredPlaybooks(ctx: Ctx): Promise<OfferedPlaybook[]> {
  const offered = (await call(ctx, API, Offered)).playbooks;
  if (offered.length === 0) throw new Error("the app offers no playbook");
  return offered.map((p, order) => ({ p, order })).sort((a, b) => a.p.year - b.p.year || a.order - b.order).map((x) => x.p);
}

const SendNow = z.union([
  z.object({ ok: z.literal(true) }).passthrough(),
  z.object({ ok: z.literal(false), code: z.literal("SEASON_ENDED"), message: z.string() }),
]);

/**
 * Plans the first of `playbooks` whose `segment` campaign has not ended (late in a season its early
 * access may be over while the season is not), sends that campaign now to the local sinks and
 * waits for its first send.
 */
export async function runCampaignDemo(
  ctx: Ctx,
  options: { playbooks: OfferedPlaybook[]; segment: string; timeoutMs?: number },
): Promise<CampaignDemo> {
  const sinks = await call(ctx, "/app/settings/channels.json", z.object({ ok: z.boolean() }).passthrough(), { intent: "use-local-sinks" });
  if (!sinks.ok) throw new Error(`the local sinks could not be set up: ${JSON.stringify(sinks).slice(0, 300)}`);
  const ended: string[] = [];
  for (const playbook of options.playbooks) {
    const form = { intent: "plan-playbook", playbook: playbook.key, year: String(playbook.year), country: "US" };
    const plan = await call(ctx, API, Plan, form);
    const key = `${playbook.key}-${plan.year}:${options.segment}`;
    const campaign = (await call(ctx, API, List)).campaigns.find((c) => c.key === key);
    if (!campaign) throw new Error(`no campaign ${key} after planning`);
    const sendNow = { intent: "send-now", campaignId: campaign.id };
    const sent = await call(ctx, API, SendNow, sendNow, (status) => status === 200 || status === 409);
    if (sent.ok) return await firstSend(ctx, { playbook, plan, key, campaignId: campaign.id, timeoutMs: options.timeoutMs });
    ended.push(`${key}: ${sent.message}`);
  }
  throw new Error(`no ${options.segment} campaign could be sent now: ${ended.join("; ")}`);
}

async function firstSend(
  ctx: Ctx,
  { playbook, plan, key, campaignId, timeoutMs }: { playbook: OfferedPlaybook; plan: z.infer<typeof Plan>; key: string; campaignId: string; timeoutMs?: number },
): Promise<CampaignDemo> {
  const campaign = { id: campaignId };

  // Done when nothing is being sent and what is still queued is a later send, not this one.
  const deadline = Date.now() + (timeoutMs ?? 120_000);
  let state = await detail(ctx, campaign.id);
  for (;;) {
    const c = state.progress.counts;
    const laterOnly = state.progress.nextSendAt === null || Date.parse(state.progress.nextSendAt) > Date.now() + 60_000;
    if ((c.sending ?? 0) === 0 && laterOnly && (c.sent ?? 0) + (c.failed ?? 0) > 0) break;
    if (Date.now() > deadline) throw new Error(`${key} did not finish its first send in time: ${JSON.stringify(c)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    state = await detail(ctx, campaign.id);
  }

  const greetings = greetingCheck(ctx);
  const sinkJson = SinksJson.parse(await (await fetch(`${ctx.emulator.url}/sinks.json?limit=1`)).json());
  const outbox = new Map<string, { segment: string; channel: string; outbox: number }>();
  for (const g of state.audience.groups.filter((g) => g.status === "sent")) {
    const row = outbox.get(`${g.segment} ${g.channel}`) ?? { segment: g.segment, channel: g.channel, outbox: 0 };
    row.outbox += g.rows;
    outbox.set(`${g.segment} ${g.channel}`, row);
  }
  // One campaign (one segment) was sent, so a sink's distinct keys are that channel's messages.
  const sent = [...outbox.values()].map((r) => ({ ...r, sink: sinkJson[SINK_OF[r.channel] ?? "webhook"].stats.uniqueKeys }));
  const failed = state.progress.counts.failed ?? 0;
  return {
    key,
    campaignId,
    sent,
    checks: [
      {
        name: `${playbook.name} ${plan.year} planned and ${key} sent now to the local sinks`,
        ok: plan.planned.length > 0 && sent.length > 0 && failed === 0,
        detail: `${plan.planned.length} campaigns planned; ${key}: ${sent.reduce((n, r) => n + r.outbox, 0)} sent, ${failed} failed (${state.campaign.status})`,
      },
      {
        name: "messages at the sinks equal the outbox's sent rows",
        ok: sent.every((r) => r.sink === r.outbox),
        detail: sent.map((r) => `${r.channel} ${r.sink}/${r.outbox}`).join(", "),
      },
      greetings,
    ],
  };
}

/** The text part's first line of each email the SMTP sink holds, against the store's own names. */
export function greetingCheck(ctx: Ctx): DemoCheck {
  const byEmail = new Map<string, string>();
  for (const c of ctx.emulator.store(ctx.shop).customers) if (c.email) byEmail.set(c.email, c.firstName);
  const mails = ctx.emulator.sinks.mail(Number.MAX_SAFE_INTEGER);
  const wrong = mails.filter((m) => {
    const firstName = byEmail.get(m.to[0] ?? "");
    return firstName === undefined || m.text?.split(/\r?\n/)[0] !== `Hi ${firstName},`;
  });
  return {
    name: "the emails sent greet each customer by the first name Shopify has for them",
    ok: mails.length > 0 && wrong.length === 0,
    // counts only: names and addresses are personal data, even made-up ones
    detail: `${mails.length - wrong.length}/${mails.length} emails at the SMTP sink`,
  };
}

export function formatSentTable(result: CampaignDemo): string {
  const lines = result.sent.map(
    (r) => `  ${r.segment.padEnd(16)} ${r.channel.padEnd(8)} ${r.outbox.toLocaleString("en-US").padStart(7)} ${r.sink.toLocaleString("en-US").padStart(8)}`,
  );
  return [`sent now: ${result.key}`, `  ${"segment".padEnd(16)} ${"channel".padEnd(8)} ${"outbox".padStart(7)} ${"at sink".padStart(8)}`, ...lines].join("\n");
}
