import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SHOP, graphqlClient, startTestEmulator } from "./helpers";
import type { Emulator } from "./index";

// External marketing activities and engagements as Shopify keeps them (write_marketing_events).

let emulator: Emulator;
let gql: Awaited<ReturnType<typeof graphqlClient>>;
let clock = Date.parse("2026-11-20T12:00:00Z");

const UPSERT = `#graphql
  mutation Upsert($input: MarketingActivityUpsertExternalInput!) {
    marketingActivityUpsertExternal(input: $input) {
      marketingActivity { id title status tactic marketingChannelType isExternal createdAt updatedAt
        utmParameters { campaign source medium } marketingEvent { remoteId startedAt endedAt manageUrl } }
      userErrors { field message code }
    }
  }`;
const ENGAGE = `#graphql
  mutation Engage($remoteId: String, $marketingActivityId: ID, $marketingEngagement: MarketingEngagementInput!) {
    marketingEngagementCreate(remoteId: $remoteId, marketingActivityId: $marketingActivityId, marketingEngagement: $marketingEngagement) {
      marketingEngagement { occurredOn utcOffset isCumulative impressionsCount clicksCount sales { amount currencyCode } marketingActivity { id } }
      userErrors { field message code }
    }
  }`;

const activity = (remoteId: string, campaign: string, extra: Record<string, unknown> = {}) => ({
  remoteId,
  title: `Activity ${remoteId}`,
  remoteUrl: `https://app.example.com/campaigns/${remoteId}`,
  status: "ACTIVE",
  tactic: "NEWSLETTER",
  marketingChannelType: "EMAIL",
  utm: { campaign, source: "holiday-segments", medium: "email" },
  ...extra,
});

type Payload = {
  marketingActivity: { id: string } | null;
  userErrors: Array<{ code: string; field: string[] | null }>;
};
const upsert = async (input: Record<string, unknown>): Promise<Payload> => {
  const { json } = await gql(UPSERT, { input });
  expect(json.errors).toBeUndefined();
  return (json.data as { marketingActivityUpsertExternal: Payload }).marketingActivityUpsertExternal;
};
const engage = async (variables: Record<string, unknown>) => {
  const { json } = await gql(ENGAGE, variables);
  expect(json.errors).toBeUndefined();
  return (
    json.data as {
      marketingEngagementCreate: { userErrors: Array<{ code: string }>; marketingEngagement: unknown };
    }
  ).marketingEngagementCreate;
};

beforeAll(async () => {
  emulator = await startTestEmulator({ now: () => new Date(clock) });
  gql = await graphqlClient(emulator);
});
afterAll(() => emulator.close());

describe("marketingActivityUpsertExternal", () => {
  it("creates one activity per remoteId and updates it in place", async () => {
    const created = await upsert(activity("a-1", "winter-vip"));
    expect(created.userErrors).toEqual([]);
    const id = created.marketingActivity?.id;
    expect(id).toMatch(/^gid:\/\/shopify\/MarketingActivity\/\d+$/);
    clock += 60_000;
    const { json } = await gql(UPSERT, {
      input: activity("a-1", "winter-vip", { title: "Renamed", status: "INACTIVE" }),
    });
    expect(json.data).toEqual({
      marketingActivityUpsertExternal: {
        marketingActivity: {
          id,
          title: "Renamed",
          status: "INACTIVE",
          tactic: "NEWSLETTER",
          marketingChannelType: "EMAIL",
          isExternal: true,
          createdAt: "2026-11-20T12:00:00.000Z",
          updatedAt: "2026-11-20T12:01:00.000Z",
          utmParameters: { campaign: "winter-vip", source: "holiday-segments", medium: "email" },
          // no start given: the creation time; INACTIVE without an end: now
          marketingEvent: {
            remoteId: "a-1",
            startedAt: "2026-11-20T12:00:00.000Z",
            endedAt: "2026-11-20T12:01:00.000Z",
            manageUrl: "https://app.example.com/campaigns/a-1",
          },
        },
        userErrors: [],
      },
    });
    expect(emulator.marketing(SHOP).filter((a) => a.remoteId === "a-1")).toHaveLength(1);
  });

  it("answers Shopify's userErrors: fixed UTM, a UTM another activity has, none at all", async () => {
    await upsert(activity("a-2", "spring"));
    expect((await upsert(activity("a-2", "spring-changed"))).userErrors).toEqual([
      expect.objectContaining({ code: "IMMUTABLE_UTM_PARAMETERS", field: ["input", "utm"] }),
    ]);
    expect((await upsert(activity("a-3", "spring"))).userErrors).toEqual([
      expect.objectContaining({
        code: "MARKETING_ACTIVITY_WITH_UTM_CAMPAIGN_ALREADY_EXISTS",
        field: ["input", "utm"],
      }),
    ]);
    expect((await upsert(activity("a-4", "x", { utm: null }))).userErrors).toEqual([
      expect.objectContaining({ code: "NON_HIERARCHIAL_REQUIRES_UTM_URL_PARAMETER" }),
    ]);
    expect(emulator.marketing(SHOP).map((a) => a.remoteId)).not.toContain("a-3");
  });
});

describe("marketingEngagementCreate", () => {
  it("keeps every row: two non-cumulative rows of one day add up, a cumulative row counts from the start", async () => {
    const id = (await upsert(activity("e-1", "engage"))).marketingActivity?.id;
    const row = (occurredOn: string, impressionsCount: number, amount: string, isCumulative = false) => ({
      occurredOn,
      utcOffset: "-05:00",
      isCumulative,
      impressionsCount,
      sales: { amount, currencyCode: "USD" },
    });
    const first = await engage({ remoteId: "e-1", marketingEngagement: row("2026-11-18", 10, "12.50") });
    expect(first).toEqual({
      marketingEngagement: {
        occurredOn: "2026-11-18",
        utcOffset: "-05:00",
        isCumulative: false,
        impressionsCount: 10,
        clicksCount: null,
        sales: { amount: "12.5", currencyCode: "USD" },
        marketingActivity: { id },
      },
      userErrors: [],
    });
    await engage({ marketingActivityId: id, marketingEngagement: row("2026-11-18", 5, "0.75") });
    await engage({ remoteId: "e-1", marketingEngagement: row("2026-11-19", 40, "100", true) });
    await engage({ remoteId: "e-1", marketingEngagement: row("2026-11-20", 55, "130.10", true) });
    const report = emulator.marketing(SHOP).find((a) => a.remoteId === "e-1");
    expect(report?.engagements).toHaveLength(4);
    expect(report?.days.map((d) => [d.occurredOn, d.rows, d.impressionsCount, d.sales?.amount])).toEqual([
      ["2026-11-18", 2, 15, "13.25"],
      ["2026-11-19", 1, 40, "100.0"],
      ["2026-11-20", 1, 15, "30.1"],
    ]);
  });

  it("refuses an unknown activity, no identifier, a bad date and mixed currencies", async () => {
    const ok = { occurredOn: "2026-11-18", utcOffset: "+00:00" };
    expect((await engage({ remoteId: "nope", marketingEngagement: ok })).userErrors).toEqual([
      expect.objectContaining({ code: "INVALID_REMOTE_ID" }),
    ]);
    expect((await engage({ marketingEngagement: ok })).userErrors).toEqual([
      expect.objectContaining({ code: "INVALID_MARKETING_ENGAGEMENT_ARGUMENT_MISSING" }),
    ]);
    expect(
      (await engage({ remoteId: "e-1", marketingEngagement: { ...ok, occurredOn: "2026-02-30" } }))
        .userErrors,
    ).toEqual([expect.objectContaining({ code: "INVALID" })]);
    const mixed = {
      ...ok,
      sales: { amount: "1", currencyCode: "USD" },
      adSpend: { amount: "1", currencyCode: "EUR" },
    };
    expect((await engage({ remoteId: "e-1", marketingEngagement: mixed })).userErrors).toEqual([
      expect.objectContaining({ code: "CURRENCY_CODE_MISMATCH_INPUT" }),
    ]);
  });

  it("refuses a malformed document or input before running it, as Shopify's schema does", async () => {
    const misspelled = await gql(UPSERT.replace("marketingEvent {", "marketingEvnt {"), {
      input: activity("m-1", "m"),
    });
    expect(misspelled.json.data).toBeUndefined();
    expect(misspelled.json.errors).toEqual([
      expect.objectContaining({
        extensions: { code: "undefinedField", typeName: "MarketingActivity", fieldName: "marketingEvnt" },
      }),
    ]);
    const badInput = await gql(ENGAGE, {
      remoteId: "e-1",
      marketingEngagement: { occurredOn: "2026-11-18", utcOffset: "+00:00", impressionCount: 3 },
    });
    expect(badInput.json.errors).toEqual([
      expect.objectContaining({
        message: "Variable $marketingEngagement of type MarketingEngagementInput! was provided invalid value",
      }),
    ]);
    expect(emulator.marketing(SHOP).some((a) => a.remoteId === "m-1")).toBe(false);
  });
});

describe("access and inspection", () => {
  it("needs write_marketing_events, worded as Shopify's ACCESS_DENIED", async () => {
    const token = emulator.issueCustomAppToken(SHOP, ["read_customers"]);
    const r = await fetch(`${emulator.url}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Access-Token": token,
        "X-Shopify-Emulator-Shop": SHOP,
      },
      body: JSON.stringify({ query: UPSERT, variables: { input: activity("s-1", "scoped") } }),
    });
    const json = (await r.json()) as { data: unknown; errors: unknown };
    expect(json.data).toEqual({ marketingActivityUpsertExternal: null });
    expect(json.errors).toEqual([
      expect.objectContaining({
        message:
          "Access denied for marketingActivityUpsertExternal field. Required access: `write_marketing_events` access scope.",
        extensions: expect.objectContaining({ code: "ACCESS_DENIED" }),
      }),
    ]);
    expect(emulator.marketing(SHOP).some((a) => a.remoteId === "s-1")).toBe(false);
  });

  it("serves what the shop recorded at /emulator/marketing.json", async () => {
    const r = await fetch(`${emulator.url}/emulator/marketing.json?shop=${SHOP}`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual(
      JSON.parse(JSON.stringify({ shop: SHOP, activities: emulator.marketing(SHOP) })),
    );
    expect((await fetch(`${emulator.url}/emulator/marketing.json?shop=unknown.myshopify.com`)).status).toBe(
      404,
    );
  });
});
