import { describe, expect, it } from "vitest";
import type { Checkout } from "../../sync/checkouts/checkout";
import type { FlowFileCustomer } from "./customer-line";
import { happeningsOf } from "./happenings";
import type { FileOrder } from "./orders-file";

const from = new Date("2026-11-24T06:00:00Z");
const until = new Date("2026-11-26T00:00:00Z");
const at = (iso: string) => new Date(iso);

const customer = (id: number, email: string | null, sms: string | null): FlowFileCustomer => ({
  id: BigInt(id),
  email: "a@example.com",
  phone: "+12125550100",
  emailMarketingState: "SUBSCRIBED",
  smsMarketingState: id === 3 ? "UNSUBSCRIBED" : "SUBSCRIBED",
  countryCode: null,
  provinceCode: null,
  timeZone: null,
  emailConsentUpdatedAt: email ? at(email) : null,
  smsConsentUpdatedAt: sms ? at(sms) : null,
});
const checkout = (id: number, updatedAt: string): Checkout => ({
  id: BigInt(id),
  token: null,
  customerId: 1n,
  email: null,
  phone: null,
  createdAt: at(updatedAt),
  updatedAt: at(updatedAt),
  completedAt: null,
  recoveryUrl: null,
  totalMinor: null,
  currencyCode: null,
  lineItems: [],
});
const order = (id: number, createdAt: string): FileOrder => ({
  id: BigInt(id),
  customerId: 1n,
  shopifyCreatedAt: at(createdAt),
  cancelledAt: null,
  test: false,
  totalMinor: 0n,
  discountMinor: 0n,
  productIds: [],
});

describe("happeningsOf", () => {
  it("the window's webhooks and midnights in order; at one instant: rescore, checkouts, orders, consents, each by id", () => {
    const list = happeningsOf({
      customers: [
        customer(2, "2026-11-25T00:00:00Z", "2026-11-24T05:59:59Z"),
        customer(1, "2026-11-25T00:00:00Z", "2026-11-25T12:00:00Z"),
        // SMS unsubscribed since: its time is not a consent given
        customer(3, null, "2026-11-25T12:00:00Z"),
      ],
      orders: [
        order(20, "2026-11-25T00:00:00Z"),
        order(10, "2026-11-25T00:00:00Z"),
        order(30, "2026-11-26T00:00:00Z"),
      ],
      checkouts: [
        checkout(9, "2026-11-25T00:00:00Z"),
        checkout(8, "2026-11-24T06:00:00Z"),
        checkout(9, "2026-11-24T05:00:00Z"),
      ],
      from,
      until,
    });
    expect(
      list.map((h) => {
        const what =
          h.kind === "checkout"
            ? h.checkout.id
            : h.kind === "order"
              ? h.order.id
              : h.kind === "consent"
                ? `${h.customerId}/${h.channel}`
                : "";
        return `${h.at.toISOString()} ${h.kind} ${what}`.trim();
      }),
    ).toEqual([
      "2026-11-24T06:00:00.000Z checkout 8",
      "2026-11-25T00:00:00.000Z nightly_rescore",
      "2026-11-25T00:00:00.000Z checkout 9",
      "2026-11-25T00:00:00.000Z order 10",
      "2026-11-25T00:00:00.000Z order 20",
      "2026-11-25T00:00:00.000Z consent 1/email",
      "2026-11-25T00:00:00.000Z consent 2/email",
      "2026-11-25T12:00:00.000Z consent 1/sms",
    ]);
  });

  it("a midnight --from starts at is the starting scores, not a rescore", () => {
    const list = happeningsOf({
      customers: [],
      orders: [],
      checkouts: [],
      from: at("2026-11-24T00:00:00Z"),
      until: at("2026-11-26T00:00:01Z"),
    });
    expect(list.map((h) => h.at.toISOString())).toEqual([
      "2026-11-25T00:00:00.000Z",
      "2026-11-26T00:00:00.000Z",
    ]);
  });
});
