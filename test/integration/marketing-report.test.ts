import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PermanentJobError } from "~/jobs/queue";
import { marketingReportHandler } from "~/results/marketing-report-job.server";
import type { MarketingSummary } from "~/results/marketing-report";
import { reportMarketing } from "~/results/shopify-marketing.server";
import type { AdminGraphql } from "~/sync/store-overview.server";
import { startEmulator, type Emulator } from "../emulator/index";
import { API_KEY, API_SECRET, installedAdmin } from "../emulator/helpers";
import { databaseModes, type TestDatabase } from "./helpers/db";

// A campaign's results in Shopify's marketing reports, through the emulator (which validates every
// document against the Admin schema and keeps every engagement row, as Shopify documents it): one
// activity per campaign, each finished day once, however often the report runs.

const SHOP = "marketing-report.myshopify.com";
let now = new Date("2026-11-30T12:00:00Z");
let emulator: Emulator;
let admin: AdminGraphql;

beforeAll(async () => {
  emulator = await startEmulator({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    appUrl: "http://127.0.0.1:9",
    webhooks: [],
    shops: [{ domain: SHOP, seed: 5, customers: 5, orders: 5, products: 2 }],
    now: () => now,
  });
  admin = await installedAdmin(emulator, SHOP);
});
afterAll(async () => {
  await emulator.close();
});

function summary(id: string, over: Partial<MarketingSummary> = {}): MarketingSummary {
  return {
    shop: SHOP,
    kind: "campaign",
    id,
    key: `cyber-week-2026:${id}`,
    title: `Cyber Week — ${id}`,
    status: "active",
    channels: ["email"],
    startedAt: new Date("2026-11-27T14:00:00Z"),
    utm: { campaign: `cyber-week-2026-${id}`, source: "holiday-segments", medium: "email" },
    remoteUrl: `https://app.example.com/app/campaigns/${id}`,
    days: [
      {
        day: "2026-11-27",
        utcOffset: "-05:00",
        delivered: 980,
        clicks: 120,
        fails: 20,
        complaints: 1,
        unsubscribes: 4,
        salesMinor: 123456n,
        currencyCode: "USD",
      },
      {
        day: "2026-11-28",
        utcOffset: "-05:00",
        delivered: 12,
        clicks: 31,
        fails: 0,
        complaints: 0,
        unsubscribes: 2,
        salesMinor: 5n,
        currencyCode: "USD",
      },
      // still going on in the shop's time zone (it ends 2026-12-01T05:00Z)
      {
        day: "2026-11-30",
        utcOffset: "-05:00",
        delivered: 7,
        clicks: 9,
        fails: 1,
        complaints: 0,
        unsubscribes: 0,
        salesMinor: 0n,
        currencyCode: "USD",
      },
    ],
    ...over,
  };
}

const activityOf = (remoteId: string) => emulator.marketing(SHOP).filter((a) => a.remoteId === remoteId);
const noOtherMetrics = {
  viewsCount: null,
  sharesCount: null,
  favoritesCount: null,
  commentsCount: null,
  sendsCount: null,
  uniqueViewsCount: null,
  uniqueClicksCount: null,
  sessionsCount: null,
  orders: null,
  firstTimeCustomers: null,
  returningCustomers: null,
  primaryConversions: null,
  allConversions: null,
  adSpend: null,
};

describe.each(databaseModes)("campaign results into Shopify's marketing reports ($name)", (mode) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await mode.open();
  });
  afterAll(async () => {
    await db.close();
  });
  const deps = () => ({ admin, prisma: db.prisma, now: () => now, log: () => undefined });

  it("creates one activity, sends each finished day once, and reports again without counting twice", async () => {
    now = new Date("2026-11-30T12:00:00Z");
    const id = `${mode.name}-vip`;
    const first = await reportMarketing(deps(), summary(id));
    expect(first).toEqual({
      activityId: expect.stringMatching(/^gid:\/\/shopify\/MarketingActivity\/\d+$/),
      sent: ["2026-11-27", "2026-11-28"],
      held: [],
    });
    now = new Date("2026-11-30T18:00:00Z");
    const again = await reportMarketing(
      deps(),
      summary(id, { title: "Cyber Week — VIP (renamed)", status: "paused" }),
    );
    expect(again).toEqual({ activityId: first.activityId, sent: [], held: [] });

    const activities = activityOf(`campaign:${id}`);
    expect(activities).toHaveLength(1);
    expect(activities[0]).toMatchObject({
      id: first.activityId,
      remoteId: `campaign:${id}`,
      title: "Cyber Week — VIP (renamed)",
      remoteUrl: `https://app.example.com/app/campaigns/${id}`,
      status: "PAUSED",
      tactic: "NEWSLETTER",
      marketingChannelType: "EMAIL",
      utm: { campaign: `cyber-week-2026-${id}`, source: "holiday-segments", medium: "email" },
      start: "2026-11-27T14:00:00.000Z",
      end: null,
      urlParameterValue: null,
      channelHandle: null,
      createdAt: "2026-11-30T12:00:00.000Z",
      updatedAt: "2026-11-30T18:00:00.000Z",
    });
    const row = (occurredOn: string, counts: [number, number, number, number, number], amount: string) => ({
      occurredOn,
      utcOffset: "-05:00",
      impressionsCount: counts[0],
      clicksCount: counts[1],
      failsCount: counts[2],
      complaintsCount: counts[3],
      unsubscribesCount: counts[4],
      sales: { amount, currencyCode: "USD" },
      ...noOtherMetrics,
    });
    const expected = [
      row("2026-11-27", [980, 120, 20, 1, 4], "1234.56"),
      row("2026-11-28", [12, 31, 0, 0, 2], "0.05"),
    ];
    expect(activities[0]?.engagements).toEqual(
      expected.map((r) => ({
        ...r,
        activityId: first.activityId,
        isCumulative: false,
        receivedAt: "2026-11-30T12:00:00.000Z",
      })),
    );
    expect(activities[0]?.days).toEqual(expected.map((r) => ({ ...r, rows: 1 })));

    // the last day is sent once it is over and settled
    now = new Date("2026-12-01T08:00:00Z");
    expect(
      (
        await reportMarketing(
          deps(),
          summary(id, { status: "completed", endedAt: new Date("2026-12-01T04:00:00Z") }),
        )
      ).sent,
    ).toEqual(["2026-11-30"]);
    expect(
      activityOf(`campaign:${id}`).map((a) => [
        a.status,
        a.end,
        a.days.map((d) => [d.occurredOn, d.rows, d.impressionsCount]),
      ]),
    ).toEqual([
      [
        "INACTIVE",
        "2026-12-01T04:00:00.000Z",
        [
          ["2026-11-27", 1, 980],
          ["2026-11-28", 1, 12],
          ["2026-11-30", 1, 7],
        ],
      ],
    ]);
  });

  it("never sends a day twice when two reports of one campaign run at once", async () => {
    now = new Date("2026-12-02T12:00:00Z");
    const id = `${mode.name}-race`;
    const results = await Promise.all([
      reportMarketing(deps(), summary(id)),
      reportMarketing(deps(), summary(id)),
    ]);
    expect(results.flatMap((r) => r.sent).sort()).toEqual(["2026-11-27", "2026-11-28", "2026-11-30"]);
    const [activity] = activityOf(`campaign:${id}`);
    expect(activity?.engagements).toHaveLength(3);
    expect(activity?.days.map((d) => d.rows)).toEqual([1, 1, 1]);
  });

  it("runs as the results.marketing-report job: nothing to report, Shopify's refusal and a missing scope end the job", async () => {
    now = new Date("2026-12-02T12:00:00Z");
    const id = `${mode.name}-job`;
    const loaded: string[] = [];
    const handler = (over: Partial<MarketingSummary> | null, client: AdminGraphql = admin) =>
      marketingReportHandler({
        load: async (shop, kind, sourceId) => {
          loaded.push(`${shop} ${kind} ${sourceId}`);
          return over === null ? null : summary(sourceId, over);
        },
        admin: async () => client,
        prisma: db.prisma,
        now: () => now,
        log: () => undefined,
      });
    const ctx = { jobId: "test", attempt: 1 };
    await handler(null)({ shop: SHOP, kind: "campaign", id }, ctx);
    expect(activityOf(`campaign:${id}`)).toEqual([]);
    await handler({})({ shop: SHOP, kind: "campaign", id }, ctx);
    expect(activityOf(`campaign:${id}`)[0]?.engagements).toHaveLength(3);
    expect(loaded).toEqual([`${SHOP} campaign ${id}`, `${SHOP} campaign ${id}`]);

    // another campaign with the same UTM parameters: Shopify keeps them unique per shop
    const clash = handler({
      utm: { campaign: `cyber-week-2026-${id}`, source: "holiday-segments", medium: "email" },
    });
    await expect(clash({ shop: SHOP, kind: "campaign", id: `${id}-copy` }, ctx)).rejects.toThrow(
      PermanentJobError,
    );
    await expect(clash({ shop: SHOP, kind: "campaign", id: `${id}-copy` }, ctx)).rejects.toThrow(
      /A marketing activity with the same UTM campaign, medium, and source already exists/,
    );

    const token = emulator.issueCustomAppToken(SHOP, ["read_customers"]);
    const unscoped: AdminGraphql = {
      graphql: (query, init) =>
        fetch(`${emulator.url}/admin/api/2026-10/graphql.json`, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "X-Shopify-Access-Token": token,
            "X-Shopify-Emulator-Shop": SHOP,
          },
          body: JSON.stringify({ query, variables: init?.variables }),
        }),
    };
    await expect(
      handler({}, unscoped)({ shop: SHOP, kind: "campaign", id: `${id}-unscoped` }, ctx),
    ).rejects.toThrow(/write_marketing_events/);
    expect(activityOf(`campaign:${id}-unscoped`)).toEqual([]);
  });
});
