import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { holdoutCutoff, type Suppression } from "~/campaigns/audience";
import { isCampaignError, type CampaignErrorCode } from "~/campaigns/lifecycle/campaign-error";
import { campaignMessages, campaignProgress } from "~/campaigns/lifecycle/campaign-progress.server";
import { completeCampaignIfDone, markCampaignSending } from "~/campaigns/lifecycle/campaign-dispatch.server";
import { changeCampaignStatus } from "~/campaigns/lifecycle/change-campaign-status.server";
import { createPlaybookCampaigns } from "~/campaigns/lifecycle/create-playbook-campaigns.server";
import type { CampaignDeps } from "~/campaigns/lifecycle/deps";
import { editCampaign } from "~/campaigns/lifecycle/edit-campaign.server";
import { campaignIdFor, messageIdFor } from "~/messaging/outbox-id.server";
import { planCampaign } from "~/campaigns/plan/plan-campaign.server";
import { planPlaybookCampaigns } from "~/campaigns/plan/plan-playbook.server";
import { CampaignPlanner, type PlanningCustomer } from "~/campaigns/plan/plan-rows";
import { previewAudience } from "~/campaigns/plan/preview-audience.server";
import { getCampaign } from "~/campaigns/lifecycle/read-campaign.server";
import { sendCampaignNow } from "~/campaigns/lifecycle/send-campaign-now.server";
import { databaseModes, type TestDatabase } from "./helpers/db";

// Campaigns from the Cyber Week playbook planned into the outbox, on both databases: the rows
// against the pure planner row by row, consent, suppressions, holdout share, SMS hours, caps across
// campaigns, idempotent re-plans, status changes and their effect on rows, and shop scoping.

const SHOP = "plan-a.myshopify.com";
const OTHER = "plan-b.myshopify.com";
const SHOP_ZONE = "America/New_York";
const NOW = new Date("2026-10-15T12:00:00.000Z");
const CUSTOMERS = 12_000;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Seeded extends PlanningCustomer {
  scored: boolean;
  suppressions: Suppression[];
}

const ZONES = [
  "America/New_York",
  "America/Los_Angeles",
  "America/Chicago",
  "Europe/Berlin",
  "Asia/Tokyo",
  null,
  "Not/AZone",
];
const PROVINCES = ["NY", "CA", "FL", "WA", "TX", null];
const EMAIL_STATES = [
  "SUBSCRIBED",
  "SUBSCRIBED",
  "SUBSCRIBED",
  "SUBSCRIBED",
  "NOT_SUBSCRIBED",
  "UNSUBSCRIBED",
  "PENDING",
  null,
];
const SMS_STATES = ["SUBSCRIBED", "SUBSCRIBED", "NOT_SUBSCRIBED", null];
const SEGMENT_WEIGHTS: Array<[string, number]> = [
  ["lapsed", 0.35],
  ["vip", 0.15],
  ["price_sensitive", 0.15],
  ["recent", 0.15],
  ["regular", 0.1],
  ["prospect", 0.1],
];

function store(count: number, seed: number): Seeded[] {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => {
    const value = list[Math.floor(random() * list.length)];
    if (value === undefined) throw new Error("empty list");
    return value;
  };
  return Array.from({ length: count }, (_, i) => {
    let u = random();
    const segment = SEGMENT_WEIGHTS.find(([, w]) => (u -= w) < 0)?.[0] ?? "regular";
    const suppressions: Suppression[] =
      random() < 0.03
        ? [
            {
              channel: pick(["email", "sms", "all"] as const),
              reason: pick(["unsubscribed", "bounced", "complained"] as const),
            },
          ]
        : [];
    return {
      id: String(1000 + i),
      segment,
      scored: segment !== "prospect" || random() < 0.5,
      hasEmail: random() < 0.95,
      hasPhone: random() < 0.6,
      emailMarketingState: pick(EMAIL_STATES),
      smsMarketingState: pick(SMS_STATES),
      countryCode: "US",
      provinceCode: pick(PROVINCES),
      timeZone: pick(ZONES),
      suppressions,
    };
  });
}

async function seed(db: TestDatabase, shop: string, customers: Seeded[]): Promise<void> {
  await db.prisma.shop.create({ data: { domain: shop, scopes: "read_customers", ianaTimezone: SHOP_ZONE } });
  const rows = customers.map((c) => ({
    id: c.id,
    email: c.hasEmail ? `c${c.id}@example.com` : null,
    phone: c.hasPhone ? `+1555${c.id.padStart(7, "0")}` : null,
    es: c.emailMarketingState,
    ss: c.smsMarketingState,
    cc: c.countryCode,
    pc: c.provinceCode,
    tz: c.timeZone,
    segment: c.scored ? c.segment : null,
  }));
  const json = JSON.stringify(rows);
  await db.prisma.$executeRawUnsafe(
    `INSERT INTO "Customer" (shop, id, email, phone, tags, "emailMarketingState", "smsMarketingState", "countryCode",
       "provinceCode", "timeZone", "shopifyCreatedAt", "shopifyUpdatedAt")
     SELECT $1, r.id, r.email, r.phone, '{}', r.es, r.ss, r.cc, r.pc, r.tz, '2025-01-01', '2025-01-01'
     FROM jsonb_to_recordset($2::jsonb) AS r(id bigint, email text, phone text, es text, ss text, cc text, pc text, tz text)`,
    shop,
    json,
  );
  await db.prisma.$executeRawUnsafe(
    `INSERT INTO "CustomerScore" (shop, "customerId", segment)
     SELECT $1, r.id, r.segment FROM jsonb_to_recordset($2::jsonb) AS r(id bigint, segment text) WHERE r.segment IS NOT NULL`,
    shop,
    json,
  );
  const suppressions = customers.flatMap((c) =>
    c.suppressions.map((s) => ({ shop, customerId: BigInt(c.id), ...s })),
  );
  await db.prisma.suppression.createMany({ data: suppressions });
}

async function rejects(promise: Promise<unknown>, code: CampaignErrorCode): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isCampaignError(error) ? error.code : error).toBe(code);
}

const localHour = (iso: string): number => Number(iso.slice(11, 13));

describe.each(databaseModes)("campaign planning ($name)", (mode) => {
  let db: TestDatabase;
  const lines: string[] = [];
  let now = NOW;
  const deps = (): CampaignDeps => ({
    prisma: db.prisma,
    writer: db.bulkWriter,
    now: () => now,
    log: (line) => lines.push(line),
  });
  const customers = store(CUSTOMERS, 5);
  const byId = new Map(customers.map((c) => [c.id, c]));
  const id = (segment: string, shop = SHOP) => campaignIdFor(shop, `cyber-week-2026:${segment}`);
  const rowsOf = (campaignId: string, shop = SHOP) =>
    db.prisma.outboxMessage.findMany({ where: { shop, campaignId }, orderBy: { id: "asc" } });

  beforeAll(async () => {
    db = await mode.open();
    await seed(db, SHOP, customers);
    await seed(db, OTHER, store(300, 9));
  });
  afterAll(async () => {
    await db?.close();
  });

  it("creates one campaign per segment, deterministically, and reads definitions back validated", async () => {
    const first = await createPlaybookCampaigns(deps(), SHOP, {
      playbook: "cyber-week",
      year: 2026,
      countryCode: "US",
    });
    expect(first.campaigns.map((c) => c.segment)).toEqual([
      "vip",
      "price_sensitive",
      "lapsed",
      "recent",
      "regular",
      "prospect",
    ]);
    expect(first.created).toHaveLength(6);
    expect(
      first.campaigns.every((c) => c.status === "draft" && c.id === id(c.segment) && c.definition !== null),
    ).toBe(true);
    const again = await createPlaybookCampaigns(deps(), SHOP, {
      playbook: "cyber-week",
      year: 2026,
      countryCode: "US",
    });
    expect(again.unchanged).toHaveLength(6);
    expect(await db.prisma.campaign.count({ where: { shop: SHOP } })).toBe(6);

    // A stored definition that no longer validates is reported, never planned; re-creating repairs the draft.
    await db.prisma.$executeRawUnsafe(
      `UPDATE "Campaign" SET definition = jsonb_set(definition, '{draft,holdoutShare}', '2') WHERE id = $1`,
      id("recent"),
    );
    const broken = await getCampaign(db.prisma, SHOP, id("recent"));
    expect(broken.definition).toBeNull();
    expect(broken.definitionIssues.map((i) => i.path)).toEqual(["draft.holdoutShare"]);
    await rejects(planCampaign(deps(), SHOP, id("recent")), "INVALID_DEFINITION");
    const repaired = await createPlaybookCampaigns(deps(), SHOP, {
      playbook: "cyber-week",
      year: 2026,
      countryCode: "US",
    });
    expect(repaired.updated).toEqual(["cyber-week-2026:recent"]);

    await createPlaybookCampaigns(deps(), OTHER, { playbook: "cyber-week", year: 2026 });
    expect(lines.some((l) => l.includes("no shop country"))).toBe(true);
  });

  it("edits a draft only with valid values and plans the price-sensitive launch at 07:00", async () => {
    await rejects(
      editCampaign(deps(), SHOP, id("price_sensitive"), { draft: { holdoutShare: 0.9 } }),
      "INVALID_DEFINITION",
    );
    await rejects(
      editCampaign(deps(), SHOP, id("price_sensitive"), { audience: { caps: { sms: -1 } } }),
      "INVALID_DEFINITION",
    );
    await rejects(editCampaign(deps(), OTHER, id("price_sensitive"), { draft: { name: "x" } }), "NOT_FOUND");
    const edited = await editCampaign(deps(), SHOP, id("price_sensitive"), {
      draft: {
        sends: [
          { key: "launch", localDate: "2026-11-27", localTime: "07:00" },
          { key: "last_hours", localDate: "2026-11-30", localTime: "18:00" },
        ],
      },
    });
    expect(edited.definition?.draft.sends[0]?.localTime).toBe("07:00");
    await rejects(planCampaign(deps(), SHOP, id("regular")), "DISABLED");
  });

  it("plans the playbook: rows equal the pure planner's, one per send, customer and channel", async () => {
    const result = await planPlaybookCampaigns(
      deps(),
      SHOP,
      { playbook: "cyber-week", year: 2026 },
      { batchSize: 1_000 },
    );
    expect(result.planned.map((p) => p.key).sort()).toEqual(
      ["lapsed", "price_sensitive", "recent", "vip"].map((s) => `cyber-week-2026:${s}`),
    );
    expect(result.skipped.map((s) => s.why)).toEqual(["disabled", "disabled"]);

    let eligible = 0;
    let heldOut = 0;
    for (const planned of result.planned) {
      const campaign = await getCampaign(db.prisma, SHOP, planned.campaignId);
      expect(campaign.plannedAt?.toISOString()).toBe(NOW.toISOString());
      expect(campaign.status).toBe("draft");
      const definition = campaign.definition;
      if (!definition) throw new Error("no definition");
      const audience = customers.filter((c) => c.segment === campaign.segment);
      const planner = new CampaignPlanner({
        campaignId: campaign.id,
        definition,
        shopTimeZone: SHOP_ZONE,
        now: NOW,
        // The holdout is exactly the draft's share of the segment.
        holdoutCutoff: holdoutCutoff(
          definition.draft.key,
          audience.map((c) => c.id),
          definition.draft.holdoutShare,
        ),
      });
      const want = audience
        .flatMap((c) => planner.rowsFor(c, c.suppressions, []))
        .map((m) => ({
          id: messageIdFor(SHOP, campaign.id, m.sendKey, m.customerId, m.channel),
          sendKey: m.sendKey,
          customerId: m.customerId,
          channel: m.channel,
          status: m.status,
          skipReason: m.skipReason,
          sendAt: m.sendAt?.toISOString() ?? null,
          localSendTime: m.localSendTime,
          timeZone: m.timeZone,
        }))
        .sort((a, b) => (a.id < b.id ? -1 : 1));
      const got = (await rowsOf(campaign.id)).map((r) => ({
        id: r.id,
        sendKey: r.sendKey,
        customerId: r.customerId.toString(),
        channel: r.channel,
        status: r.status,
        skipReason: r.skipReason,
        sendAt: r.sendAt?.toISOString() ?? null,
        localSendTime: r.localSendTime,
        timeZone: r.timeZone,
      }));
      expect(got).toEqual(want);
      expect(planned.rows).toBe(got.length);
      const keys = new Set(got.map((r) => `${r.sendKey}|${r.customerId}|${r.channel}`));
      expect(keys.size).toBe(got.length);

      for (const r of got) {
        const c = byId.get(r.customerId);
        if (!c) throw new Error("unknown customer");
        expect(c.segment).toBe(campaign.segment);
        const suppressed = c.suppressions.some((s) => s.channel === r.channel || s.channel === "all");
        if (r.status === "planned" || r.status === "holdout") {
          expect(r.id).toMatch(/^m_[0-9a-f]{40}$/);
          expect(suppressed).toBe(false);
          if (r.channel === "email") expect(c.emailMarketingState === "SUBSCRIBED" && c.hasEmail).toBe(true);
          if (r.channel === "sms") {
            expect(c.smsMarketingState === "SUBSCRIBED" && c.hasPhone).toBe(true);
            const end = ["FL", "WA"].includes(c.provinceCode ?? "") ? 20 : 21;
            const hour = localHour(r.localSendTime ?? "");
            expect(hour >= 8 && hour < end).toBe(true);
          }
        }
        if (r.status === "skipped") expect(r.sendAt).toBeNull();
      }
      if (campaign.segment === "price_sensitive") {
        const launch = got.filter((r) => r.sendKey === "launch" && r.status === "planned");
        expect(launch.some((r) => r.channel === "sms" && r.localSendTime?.slice(11, 16) === "08:00")).toBe(
          true,
        );
        expect(
          launch
            .filter((r) => r.channel === "email")
            .every((r) => r.localSendTime?.slice(11, 16) === "07:00"),
        ).toBe(true);
      }
      const customersWith = (status: string) =>
        new Set(got.filter((r) => r.status === status).map((r) => r.customerId));
      const held = customersWith("holdout");
      eligible += new Set([...customersWith("planned"), ...held]).size;
      heldOut += held.size;
    }
    expect(eligible).toBeGreaterThanOrEqual(2_000);
    expect(Math.abs(heldOut / eligible - 0.1)).toBeLessThanOrEqual(0.01);
  });

  it("previews the audience by segment, channel, holdout and skip reason", async () => {
    const preview = await previewAudience(db.prisma, SHOP, id("vip"));
    const rows = await rowsOf(id("vip"));
    expect(preview.rows).toBe(rows.length);
    expect(preview.customers).toBe(new Set(rows.map((r) => r.customerId)).size);
    expect(preview.holdout).toBe(rows.filter((r) => r.status === "holdout").length);
    expect(preview.toSend).toBe(rows.filter((r) => r.status === "planned").length);
    expect(preview.bySegment).toEqual({ vip: rows.length });
    expect(preview.bySkipReason.no_consent).toBe(rows.filter((r) => r.skipReason === "no_consent").length);
    const sms = preview.byChannel.find((c) => c.channel === "sms");
    expect(sms?.toSend).toBe(rows.filter((r) => r.channel === "sms" && r.status === "planned").length);
    expect(preview.plannedAt?.toISOString()).toBe(NOW.toISOString());
  });

  it("re-plans a draft idempotently and follows segment changes; concurrent plans end in one plan", async () => {
    const before = await rowsOf(id("lapsed"));
    const again = await planCampaign(deps(), SHOP, id("lapsed"), { batchSize: 700 });
    const after = await rowsOf(id("lapsed"));
    expect(after.map((r) => [r.id, r.status, r.sendAt?.getTime()])).toEqual(
      before.map((r) => [r.id, r.status, r.sendAt?.getTime()]),
    );
    expect(again.replaced).toBe(before.length);

    const moved = customers.find((c) => c.segment === "lapsed" && c.scored);
    if (!moved) throw new Error("no lapsed customer");
    await db.prisma.customerScore.update({
      where: { shop_customerId: { shop: SHOP, customerId: BigInt(moved.id) } },
      data: { segment: "recent" },
    });
    const settled = await Promise.allSettled([
      planCampaign(deps(), SHOP, id("lapsed"), { batchSize: 500 }),
      planCampaign(deps(), SHOP, id("lapsed"), { batchSize: 500 }),
    ]);
    expect(settled.some((s) => s.status === "fulfilled")).toBe(true);
    for (const s of settled)
      if (s.status === "rejected") expect(isCampaignError(s.reason, "SUPERSEDED")).toBe(true);
    const replanned = await rowsOf(id("lapsed"));
    const movedIds = new Set(before.filter((r) => r.customerId.toString() === moved.id).map((r) => r.id));
    expect(replanned.map((r) => r.id)).toEqual(before.map((r) => r.id).filter((i) => !movedIds.has(i)));
    expect((await getCampaign(db.prisma, SHOP, id("lapsed"))).plannedAt).not.toBeNull();
    await db.prisma.customerScore.update({
      where: { shop_customerId: { shop: SHOP, customerId: BigInt(moved.id) } },
      data: { segment: "lapsed" },
    });
  });

  it("caps a customer's messages across two campaigns", async () => {
    const christmas = await createPlaybookCampaigns(deps(), SHOP, {
      playbook: "christmas",
      year: 2026,
      countryCode: "US",
    });
    const vip = christmas.campaigns.find((c) => c.segment === "vip");
    if (!vip) throw new Error("no christmas vip");
    // The Christmas VIP message on the same morning as Cyber Week's early access.
    await editCampaign(deps(), SHOP, vip.id, {
      draft: {
        startsAt: "2026-11-25",
        sends: [{ key: "early_access", localDate: "2026-11-25", localTime: "12:00" }],
      },
    });
    await planCampaign(deps(), SHOP, vip.id);
    const cyber = new Map(
      (await rowsOf(id("vip")))
        .filter((r) => r.status === "planned")
        .map((r) => [`${r.customerId}|${r.channel}`, r]),
    );
    const xmas = (await rowsOf(vip.id)).filter((r) => r.status === "planned");
    let checked = 0;
    for (const r of xmas) {
      const other = cyber.get(`${r.customerId}|${r.channel}`);
      if (!other?.sendAt || !r.sendAt) continue;
      const hours = r.channel === "email" ? 16 : 24;
      expect(Math.abs(r.sendAt.getTime() - other.sendAt.getTime())).toBeGreaterThanOrEqual(hours * 3_600_000);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("schedules only with tested channels; pause, resume and cancel change rows as they should", async () => {
    const vip = id("vip");
    const planned = (await rowsOf(vip)).filter((r) => r.status === "planned").length;
    await rejects(changeCampaignStatus(deps(), SHOP, vip, "schedule"), "CHANNEL_NOT_READY");
    await db.prisma.channelConfig.createMany({
      data: [
        { shop: SHOP, channel: "email", sealed: "x", testOk: true },
        { shop: SHOP, channel: "sms", sealed: "x", testOk: false },
        { shop: OTHER, channel: "sms", sealed: "x", testOk: true },
      ],
    });
    const refused = await changeCampaignStatus(deps(), SHOP, vip, "schedule").catch((e: unknown) => e);
    expect(isCampaignError(refused, "CHANNEL_NOT_READY") && refused.details.channels).toEqual(["sms"]);
    expect((await getCampaign(db.prisma, SHOP, vip)).status).toBe("draft");
    await db.prisma.channelConfig.update({
      where: { shop_channel: { shop: SHOP, channel: "sms" } },
      data: { testOk: true },
    });
    // Settings that no longer open (channelReadiness) are refused even though the row says testOk.
    const unreadable = { email: { testOk: true }, sms: { testOk: false }, webhook: { testOk: false } };
    const stale = await changeCampaignStatus(deps(), SHOP, vip, "schedule", { readiness: unreadable }).catch(
      (e: unknown) => e,
    );
    expect(isCampaignError(stale, "CHANNEL_NOT_READY") && stale.details.channels).toEqual(["sms"]);

    const scheduled = await changeCampaignStatus(deps(), SHOP, vip, "schedule");
    expect(scheduled).toMatchObject({ status: "scheduled", changed: true, rows: planned });
    expect(await changeCampaignStatus(deps(), SHOP, vip, "schedule")).toMatchObject({ changed: false });
    await rejects(planCampaign(deps(), SHOP, vip), "INVALID_TRANSITION");
    await rejects(editCampaign(deps(), SHOP, vip, { draft: { name: "New" } }), "INVALID_TRANSITION");
    expect(await changeCampaignStatus(deps(), SHOP, vip, "resume")).toMatchObject({
      status: "scheduled",
      changed: false,
    });
    await rejects(changeCampaignStatus(deps(), SHOP, id("regular"), "resume"), "INVALID_TRANSITION");
    await rejects(changeCampaignStatus(deps(), SHOP, id("regular"), "schedule"), "NOT_PLANNED");

    // The dispatcher sends a few.
    expect(await markCampaignSending(deps(), SHOP, vip)).toMatchObject({ status: "sending", changed: true });
    const firstIds = (await rowsOf(vip))
      .filter((r) => r.status === "queued")
      .slice(0, 5)
      .map((r) => r.id);
    await db.prisma.outboxMessage.updateMany({
      where: { id: { in: firstIds } },
      data: { status: "sent", sentAt: NOW },
    });
    const snapshot = async () => (await rowsOf(vip)).map((r) => `${r.id}:${r.status}`);
    const beforePause = await snapshot();

    expect(await changeCampaignStatus(deps(), SHOP, vip, "pause")).toMatchObject({
      status: "paused",
      changed: true,
    });
    expect(await changeCampaignStatus(deps(), SHOP, vip, "pause")).toMatchObject({ changed: false });
    expect(await completeCampaignIfDone(deps(), SHOP, vip)).toMatchObject({ changed: false });
    expect(await snapshot()).toEqual(beforePause);
    expect(await changeCampaignStatus(deps(), SHOP, vip, "resume")).toMatchObject({
      status: "sending",
      changed: true,
    });
    expect(await snapshot()).toEqual(beforePause);
    expect(await completeCampaignIfDone(deps(), SHOP, vip)).toMatchObject({
      status: "sending",
      changed: false,
    });

    const progress = await campaignProgress(db.prisma, SHOP, vip);
    expect(progress.counts.sent).toBe(5);
    expect(progress.counts.queued).toBe(planned - 5);
    expect(progress.finished).toBe(5);

    const cancelled = await changeCampaignStatus(deps(), SHOP, vip, "cancel");
    expect(cancelled).toMatchObject({ status: "cancelled", changed: true, rows: planned - 5 });
    const rows = await rowsOf(vip);
    expect(
      rows
        .filter((r) => r.status === "sent")
        .map((r) => r.id)
        .sort(),
    ).toEqual([...firstIds].sort());
    expect(rows.filter((r) => r.status === "queued")).toHaveLength(0);
    expect(rows.filter((r) => r.skipReason === "cancelled")).toHaveLength(planned - 5);
    expect(await changeCampaignStatus(deps(), SHOP, vip, "cancel")).toMatchObject({ changed: false });
    await rejects(changeCampaignStatus(deps(), SHOP, vip, "resume"), "INVALID_TRANSITION");
  });

  it("sends now, completes when every message is done, and pages the message log", async () => {
    const recent = id("recent");
    now = new Date("2026-11-20T15:00:00.500Z");
    const { change } = await sendCampaignNow(deps(), SHOP, recent);
    expect(change.status).toBe("scheduled");
    const queued = (await rowsOf(recent)).filter((r) => r.status === "queued");
    expect(queued.length).toBeGreaterThan(0);
    expect(queued.every((r) => r.sendAt?.toISOString() === "2026-11-20T15:00:01.000Z")).toBe(true);
    now = NOW;

    const seen: string[] = [];
    for (let after: string | null = null; ;) {
      const page = await campaignMessages(db.prisma, SHOP, recent, { after, limit: 150 });
      for (const m of page.messages) {
        expect(Object.keys(m)).not.toContain("email");
        seen.push(m.id);
      }
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toEqual((await rowsOf(recent)).map((r) => r.id));
    const queuedOnly = await campaignMessages(db.prisma, SHOP, recent, { status: "queued", limit: 200 });
    expect(queuedOnly.messages.every((m) => m.status === "queued")).toBe(true);

    await db.prisma.outboxMessage.updateMany({
      where: { campaignId: recent, status: "queued" },
      data: { status: "sent" },
    });
    expect(await completeCampaignIfDone(deps(), SHOP, recent)).toMatchObject({
      status: "completed",
      changed: true,
    });
    await rejects(changeCampaignStatus(deps(), SHOP, recent, "pause"), "INVALID_TRANSITION");
  });

  it("never touches another shop's campaigns or rows", async () => {
    const otherBefore = await db.prisma.outboxMessage.count({ where: { shop: OTHER } });
    expect(otherBefore).toBe(0);
    await planCampaign(deps(), OTHER, id("lapsed", OTHER));
    const otherRows = await rowsOf(id("lapsed", OTHER), OTHER);
    expect(otherRows.length).toBeGreaterThan(0);
    expect(id("lapsed", OTHER)).not.toBe(id("lapsed"));
    const mine = await db.prisma.outboxMessage.count({ where: { shop: SHOP } });

    await rejects(getCampaign(db.prisma, OTHER, id("lapsed")), "NOT_FOUND");
    await rejects(changeCampaignStatus(deps(), OTHER, id("lapsed"), "cancel"), "NOT_FOUND");
    await rejects(planCampaign(deps(), OTHER, id("lapsed")), "NOT_FOUND");
    await changeCampaignStatus(deps(), SHOP, id("lapsed"), "cancel");
    expect((await rowsOf(id("lapsed", OTHER), OTHER)).map((r) => `${r.id}:${r.status}`)).toEqual(
      otherRows.map((r) => `${r.id}:${r.status}`),
    );
    expect((await getCampaign(db.prisma, OTHER, id("lapsed", OTHER))).status).toBe("draft");
    expect(await db.prisma.outboxMessage.count({ where: { shop: SHOP } })).toBe(mine);
  });
});
