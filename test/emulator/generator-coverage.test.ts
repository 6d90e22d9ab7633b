import { describe, expect, it } from "vitest";
import { buildPlaybook, PLAYBOOKS, PlaybookKey, type CampaignDraft } from "~/campaigns/playbooks";
import { scoreCustomers, type RfmCustomer } from "~/segments/rfm";
import { DEFAULT_THRESHOLDS, SEGMENTS, type Segment } from "~/segments/rules";
import { generateStore, parseMinor, TEST_HISTORY_END, type GeneratedStore } from "./index";

// The demo store on any day it runs: history up to that moment, so every segment has customers and
// every playbook campaign of the coming seasons has customers it may reach. Segments are scored from
// the generated orders as the definition reads them (not test, not cancelled, with a customer);
// "may reach" is the channel's consent SUBSCRIBED plus an address, read from the generated records.

const DAY = 86_400_000;
const today = new Date();
const NOWS = [
  today,
  new Date("2026-12-06T15:00:00Z"),
  new Date("2026-12-31T23:30:00Z"),
  new Date("2027-03-15T09:00:00Z"),
  new Date("2027-11-27T12:00:00Z"),
  new Date("2028-07-01T00:00:00Z"),
];

/** The shop's calendar day at `now` (the playbooks' dates are the shop's local days). */
function localDay(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** A playbook's next season: the first year whose campaigns have not all ended by `day`. */
function nextSeason(playbook: PlaybookKey, day: string): CampaignDraft[] {
  const year = Number(day.slice(0, 4));
  const drafts = buildPlaybook({ playbook, year, countryCode: "US" });
  return drafts.every((d) => d.endsAt < day) ? buildPlaybook({ playbook, year: year + 1, countryCode: "US" }) : drafts;
}

function segmentsOf(store: GeneratedStore, now: Date): Map<string, Segment> {
  const rows: RfmCustomer[] = [...store.customers].map((c) => ({
    id: c.id,
    frequency: 0,
    monetaryMinor: 0n,
    lastOrderAt: null,
    discountedOrders: 0,
  }));
  for (const o of store.orders) {
    const row = o._customerIndex === null ? undefined : rows[o._customerIndex];
    if (!row || o.test || o.cancelledAt !== null || Date.parse(o.createdAt) > now.getTime()) continue;
    row.frequency += 1;
    row.monetaryMinor += BigInt(parseMinor(o.currentTotalPriceSet.shopMoney.amount));
    if (parseMinor(o.totalDiscountsSet.shopMoney.amount) > 0) row.discountedOrders += 1;
    const at = new Date(o.createdAt);
    if (!row.lastOrderAt || at > row.lastOrderAt) row.lastOrderAt = at;
  }
  return new Map(scoreCustomers(rows, now, DEFAULT_THRESHOLDS).map((s) => [s.id, s.segment]));
}

describe("the demo store on the day the demo runs", () => {
  for (const now of NOWS) {
    it(`has customers in every segment and every coming playbook campaign (now = ${now.toISOString()})`, () => {
      const store = generateStore({ domain: "demo-store.myshopify.com", customers: 10_000, seed: 1, until: now });
      expect(store.untilMs).toBe(now.getTime());
      const segments = segmentsOf(store, now);
      const perSegment = Object.fromEntries(SEGMENTS.map((s) => [s, 0]));
      for (const segment of segments.values()) perSegment[segment] = (perSegment[segment] ?? 0) + 1;
      for (const segment of SEGMENTS) expect(perSegment[segment], `${segment}: ${JSON.stringify(perSegment)}`).toBeGreaterThan(0);

      const customers = [...store.customers];
      const day = localDay(now, store.ianaTimezone);
      const reachable = new Map<string, number>();
      for (const playbook of PlaybookKey.options) {
        for (const draft of nextSeason(playbook, day)) {
          expect(draft.endsAt >= day, `${draft.key} has ended`).toBe(true);
          reachable.set(draft.key, 0);
          for (const c of customers) {
            if (segments.get(c.id) !== draft.segment) continue;
            const email = c.email !== null && c.emailMarketingConsent?.marketingState === "SUBSCRIBED";
            const sms = c.phone !== null && c.smsMarketingConsent?.marketingState === "SUBSCRIBED";
            if (draft.channels.some((ch) => (ch === "email" && email) || (ch === "sms" && sms)))
              reachable.set(draft.key, (reachable.get(draft.key) ?? 0) + 1);
          }
        }
      }
      expect(reachable.size).toBe(Object.keys(PLAYBOOKS).length * SEGMENTS.length);
      for (const [key, n] of reachable) expect(n, `${key}: ${JSON.stringify(Object.fromEntries(reachable))}`).toBeGreaterThan(0);
    }, 60_000);
  }

  it("keeps every time of the store at or before its end, and a fixed end gives the same store", () => {
    const until = new Date(TEST_HISTORY_END.getTime() + 3 * DAY + 17_000);
    const store = generateStore({ domain: "edge.myshopify.com", seed: 4, customers: 3_000, until });
    const last = (...times: Array<string | null>) => Math.max(...times.map((t) => (t === null ? 0 : Date.parse(t))));
    let latest = 0;
    for (const o of store.orders) latest = Math.max(latest, last(o.createdAt, o.processedAt, o.updatedAt, o.cancelledAt));
    for (const c of store.customers)
      latest = Math.max(
        latest,
        last(c.createdAt, c.updatedAt, c.emailMarketingConsent?.consentUpdatedAt ?? null, c.smsMarketingConsent?.consentUpdatedAt ?? null),
      );
    for (const p of store.products) latest = Math.max(latest, last(p.createdAt, p.updatedAt, p.publishedAt));
    expect(new Date(latest).toISOString() <= until.toISOString()).toBe(true);
    // the history reaches its end: new customers and orders in its last days; and it stays deterministic
    const lastDays = (at: string) => Date.parse(at) > until.getTime() - 2 * DAY;
    expect([...store.orders].some((o) => lastDays(o.createdAt))).toBe(true);
    expect([...store.customers].some((c) => lastDays(c.createdAt))).toBe(true);
    const again = generateStore({ domain: "edge.myshopify.com", seed: 4, customers: 3_000, until: new Date(until) });
    expect(JSON.stringify(again.orders.slice(-50))).toBe(JSON.stringify(store.orders.slice(-50)));
  }, 30_000);
});
