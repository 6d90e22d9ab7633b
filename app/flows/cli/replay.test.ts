import { describe, expect, it } from "vitest";
import { DEFAULT_AUDIENCE_SETTINGS } from "../../messaging/rules/settings";
import type { Checkout } from "../../sync/checkouts/checkout";
import { isFlowHoldout } from "../ids";
import { DEFAULT_FLOW_SETTINGS, FlowSettings, shopFlows } from "../settings";
import type { FlowFileCustomer } from "./customer-line";
import { formatFlowRow, sortFlowRows } from "./csv";
import type { FileOrder } from "./orders-file";
import { replayFlows, type ReplayInput } from "./replay-flows";

// The replay on hand-worked histories of a New York shop in Cyber Week (EST, UTC−5): every row
// below is worked out from the flows' definitions (built-in.ts) and the send rules, not from a run.

const FROM = new Date("2026-11-24T00:00:00Z");
const UNTIL = new Date("2026-12-03T00:00:00Z");
const flows = shopFlows(DEFAULT_FLOW_SETTINGS);

const customer = (id: number, over: Partial<FlowFileCustomer> = {}): FlowFileCustomer => ({
  id: BigInt(id),
  email: `c${id}@example.com`,
  phone: "+12125550100",
  emailMarketingState: "SUBSCRIBED",
  smsMarketingState: "NOT_SUBSCRIBED",
  countryCode: "US",
  provinceCode: "NY",
  timeZone: "America/New_York",
  emailConsentUpdatedAt: new Date("2025-01-01T00:00:00Z"),
  smsConsentUpdatedAt: null,
  ...over,
});

const checkout = (
  id: number,
  customerId: number,
  updatedAt: string,
  over: Partial<Checkout> = {},
): Checkout => ({
  id: BigInt(id),
  token: `tok-${id}`,
  customerId: BigInt(customerId),
  email: null,
  phone: null,
  createdAt: new Date("2026-11-27T09:50:00Z"),
  updatedAt: new Date(updatedAt),
  completedAt: null,
  recoveryUrl: `https://shop.example/recover/${id}`,
  totalMinor: 4900n,
  currencyCode: "USD",
  lineItems: [
    {
      productId: 11n,
      variantId: 111n,
      quantity: 1,
      title: "Merino Scarf",
      variantTitle: null,
      priceMinor: 4900n,
    },
  ],
  ...over,
});

let orderId = 9000n;
const order = (customerId: number, at: string, productIds: bigint[] = [11n]): FileOrder => ({
  id: ++orderId,
  customerId: BigInt(customerId),
  shopifyCreatedAt: new Date(at),
  cancelledAt: null,
  test: false,
  totalMinor: 4900n,
  discountMinor: 0n,
  productIds,
});

function replay(over: Partial<ReplayInput>): string[] {
  const input: ReplayInput = {
    shop: {
      shop: "snowdevil.myshopify.com",
      timeZone: "America/New_York",
      audience: DEFAULT_AUDIENCE_SETTINGS,
    },
    flows,
    from: FROM,
    until: UNTIL,
    customers: [],
    orders: [],
    checkouts: [],
    products: null,
    ...over,
  };
  const { rows } = replayFlows(input);
  return sortFlowRows(
    rows,
    flows.map((f) => f.key),
  ).map(formatFlowRow);
}

describe("replayFlows: the abandoned checkout", () => {
  it("abandoned at 10:00 UTC by a New York customer: email at 11:00, then 24 h and 72 h after it", () => {
    expect(isFlowHoldout("abandoned_checkout", "1001", 0.1)).toBe(false);
    expect(
      replay({ customers: [customer(1001)], checkouts: [checkout(5001, 1001, "2026-11-27T10:00:00Z")] }),
    ).toEqual([
      "abandoned_checkout,first_message,5001,1001,email,false,2026-11-27T11:00:00.000Z,2026-11-27T11:00:00.000Z,",
      "abandoned_checkout,first_reminder,5001,1001,email,false,2026-11-28T11:00:00.000Z,2026-11-28T11:00:00.000Z,",
      "abandoned_checkout,last_reminder,5001,1001,email,false,2026-11-30T11:00:00.000Z,2026-11-30T11:00:00.000Z,",
    ]);
  });

  it("an order between the steps ends it: the next step's row says converted, nothing after", () => {
    const rows = replay({
      customers: [customer(1001)],
      checkouts: [checkout(5001, 1001, "2026-11-27T10:00:00Z")],
      orders: [order(1001, "2026-11-28T09:00:00Z")],
    });
    expect(rows).toEqual([
      "abandoned_checkout,first_message,5001,1001,email,false,2026-11-27T11:00:00.000Z,2026-11-27T11:00:00.000Z,",
      // decided when the order came (09:00), for the step due at 11:00
      "abandoned_checkout,first_reminder,5001,1001,email,false,2026-11-28T11:00:00.000Z,,converted",
      // the order's cross-sell is due 7 days later, after --until: no row
    ]);
  });

  it("a checkout completed later (a new version with completedAt) ends it at the next step", () => {
    const done = checkout(5001, 1001, "2026-11-28T09:00:00Z", {
      completedAt: new Date("2026-11-28T09:00:00Z"),
    });
    expect(
      replay({
        customers: [customer(1001)],
        checkouts: [checkout(5001, 1001, "2026-11-27T10:00:00Z"), done],
      }),
    ).toEqual([
      "abandoned_checkout,first_message,5001,1001,email,false,2026-11-27T11:00:00.000Z,2026-11-27T11:00:00.000Z,",
      "abandoned_checkout,first_reminder,5001,1001,email,false,2026-11-28T11:00:00.000Z,,converted",
    ]);
  });

  it("more activity before the first message moves it: an hour after the last version", () => {
    const rows = replay({
      customers: [customer(1001)],
      checkouts: [checkout(5001, 1001, "2026-11-27T10:00:00Z"), checkout(5001, 1001, "2026-11-27T10:40:00Z")],
      until: new Date("2026-11-28T00:00:00Z"),
    });
    expect(rows).toEqual([
      "abandoned_checkout,first_message,5001,1001,email,false,2026-11-27T11:40:00.000Z,2026-11-27T11:40:00.000Z,",
    ]);
  });

  it("a held-out customer walks the same steps: holdout rows with the times they would have gone", () => {
    expect(isFlowHoldout("abandoned_checkout", "1019", 0.1)).toBe(true);
    expect(
      replay({ customers: [customer(1019)], checkouts: [checkout(5002, 1019, "2026-11-27T10:00:00Z")] }),
    ).toEqual([
      "abandoned_checkout,first_message,5002,1019,email,true,2026-11-27T11:00:00.000Z,2026-11-27T11:00:00.000Z,holdout",
      "abandoned_checkout,first_reminder,5002,1019,email,true,2026-11-28T11:00:00.000Z,2026-11-28T11:00:00.000Z,holdout",
      "abandoned_checkout,last_reminder,5002,1019,email,true,2026-11-30T11:00:00.000Z,2026-11-30T11:00:00.000Z,holdout",
    ]);
  });

  it("SMS only, abandoned at 21:00 in New York: due 22:00, sent at 08:00 (13:00 UTC); reminders count from then", () => {
    const sms = customer(1002, { emailMarketingState: "NOT_SUBSCRIBED", smsMarketingState: "SUBSCRIBED" });
    expect(replay({ customers: [sms], checkouts: [checkout(5003, 1002, "2026-11-27T02:00:00Z")] })).toEqual([
      "abandoned_checkout,first_message,5003,1002,email,false,2026-11-27T03:00:00.000Z,,no_consent",
      "abandoned_checkout,first_message,5003,1002,sms,false,2026-11-27T03:00:00.000Z,2026-11-27T13:00:00.000Z,",
      "abandoned_checkout,first_reminder,5003,1002,email,false,2026-11-28T13:00:00.000Z,,no_consent",
      "abandoned_checkout,first_reminder,5003,1002,sms,false,2026-11-28T13:00:00.000Z,2026-11-28T13:00:00.000Z,",
      "abandoned_checkout,last_reminder,5003,1002,email,false,2026-11-30T13:00:00.000Z,,no_consent",
      "abandoned_checkout,last_reminder,5003,1002,sms,false,2026-11-30T13:00:00.000Z,2026-11-30T13:00:00.000Z,",
    ]);
  });

  it("a guest's checkout, a customer missing from the file and a completed checkout enter nothing", () => {
    const guest = checkout(5004, 0, "2026-11-27T10:00:00Z", { customerId: null });
    const stranger = checkout(5005, 4242, "2026-11-27T10:00:00Z");
    const completed = checkout(5006, 1001, "2026-11-27T10:00:00Z", {
      completedAt: new Date("2026-11-27T10:00:00Z"),
    });
    expect(replay({ customers: [customer(1001)], checkouts: [guest, stranger, completed] })).toEqual([]);
  });

  it("every cart item sold out (products file): the step is skipped, the next looks at the stock again", () => {
    const product = {
      id: 11n,
      title: "Merino Scarf",
      handle: "merino-scarf",
      productType: "Scarves",
      tags: [],
      status: "ACTIVE",
      publishedAt: new Date("2026-01-01T00:00:00Z"),
      priceMinor: 4900n,
      currencyCode: "USD",
      imageUrl: null,
      inStock: false,
      tracksInventory: true,
      availableVariantIds: [],
      shopifyUpdatedAt: new Date("2026-11-01T00:00:00Z"),
    };
    const rows = replay({
      customers: [customer(1001)],
      checkouts: [checkout(5001, 1001, "2026-11-27T10:00:00Z")],
      products: [product],
      until: new Date("2026-11-28T00:00:00Z"),
    });
    expect(rows).toEqual([
      "abandoned_checkout,first_message,5001,1001,email,false,2026-11-27T11:00:00.000Z,,sold_out",
    ]);
  });
});

describe("replayFlows: the other flows", () => {
  it("welcome on a consent given in the window; its second message 3 days later unless they ordered", () => {
    const given = customer(1003, { emailConsentUpdatedAt: new Date("2026-11-25T15:00:00Z") });
    expect(isFlowHoldout("welcome", "1003", 0.1)).toBe(false);
    expect(replay({ customers: [given], orders: [order(1001, "2025-06-01T00:00:00Z", [12n])] })).toEqual([
      "welcome,welcome,1003,1003,email,false,2026-11-25T15:00:00.000Z,2026-11-25T15:00:00.000Z,",
      "welcome,second_welcome,1003,1003,email,false,2026-11-28T15:00:00.000Z,2026-11-28T15:00:00.000Z,",
    ]);
    // an order in between takes the branch's "then": the flow ends without a second message
    const ordered = replay({ customers: [given], orders: [order(1003, "2026-11-26T12:00:00Z")] });
    expect(ordered.filter((r) => r.startsWith("welcome,"))).toEqual([
      "welcome,welcome,1003,1003,email,false,2026-11-25T15:00:00.000Z,2026-11-25T15:00:00.000Z,",
    ]);
  });

  it("win-back: a customer whose last order turns 181 days old at a nightly rescore gets the 10:00 email", () => {
    // one buyer (F = M = 1): lapsed once the last order is more than 180 whole days old
    expect(isFlowHoldout("win_back", "1003", 0.1)).toBe(false);
    const lapsing = customer(1003);
    // 181.5 days old at --from: lapsed already at the first scoring, which is no change: no win-back
    expect(replay({ customers: [lapsing], orders: [order(1003, "2026-05-26T12:00:00Z")] })).toEqual([]);
    // 180.5 days at --from (regular), 181.5 at the rescore of 11-25 00:00 UTC: lapsed then;
    // the email at the next 10:00 in New York (15:00 UTC), the reminder 7 days later
    const later = replay({ customers: [lapsing], orders: [order(1003, "2026-05-27T12:00:00Z")] });
    expect(later.filter((r) => r.startsWith("win_back,"))).toEqual([
      expect.stringMatching(
        /^win_back,delivery_promise,[0-9a-f]{64},1003,email,false,2026-11-25T15:00:00.000Z,2026-11-25T15:00:00.000Z,$/,
      ),
      expect.stringMatching(
        /^win_back,reminder,[0-9a-f]{64},1003,email,false,2026-12-02T15:00:00.000Z,2026-12-02T15:00:00.000Z,$/,
      ),
    ]);
  });

  it("caps: a flow's email holds another's for 16 h, unless that flow is switched off the caps", () => {
    const both = {
      customers: [customer(1001, { emailConsentUpdatedAt: new Date("2026-11-27T12:00:00Z") })],
      checkouts: [checkout(5001, 1001, "2026-11-27T10:00:00Z")],
      until: new Date("2026-11-28T06:00:00Z"),
    };
    expect(replay(both)).toEqual([
      "abandoned_checkout,first_message,5001,1001,email,false,2026-11-27T11:00:00.000Z,2026-11-27T11:00:00.000Z,",
      // 16 h after the cart email
      "welcome,welcome,1001,1001,email,false,2026-11-27T12:00:00.000Z,2026-11-28T03:00:00.000Z,",
    ]);
    const offCaps = shopFlows(FlowSettings.parse({ abandoned_checkout: { countsTowardCaps: false } }));
    expect(replay({ ...both, flows: offCaps })[1]).toBe(
      "welcome,welcome,1001,1001,email,false,2026-11-27T12:00:00.000Z,2026-11-27T12:00:00.000Z,",
    );
  });

  it("the same input gives the same rows, whatever the order of the files' lines", () => {
    const customers = [customer(1001), customer(1002, { smsMarketingState: "SUBSCRIBED" }), customer(1019)];
    const checkouts = [
      checkout(5001, 1001, "2026-11-27T10:00:00Z"),
      checkout(5002, 1019, "2026-11-27T10:00:00Z"),
      checkout(5003, 1002, "2026-11-27T02:00:00Z"),
    ];
    const orders = [order(1001, "2026-11-28T09:00:00Z"), order(1002, "2026-11-29T09:00:00Z")];
    const once = replay({ customers, checkouts, orders });
    expect(once.length).toBeGreaterThan(5);
    expect(
      replay({
        customers: [...customers].reverse(),
        checkouts: [...checkouts].reverse(),
        orders: [...orders].reverse(),
      }),
    ).toEqual(once);
  });
});
