import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deliveryPromiseOn, ShippingCutoffs } from "../campaigns/calendar/shipping";
import { addDays } from "../messaging/rules/local-dates";
import { localDateAt, seasonYear, StorefrontDeadlines, storefrontDeadlines } from "./deadlines";

// Hand-worked instants (days since 1970-01-01 × 86,400 + the UTC time of the local wall clock;
// checked once against Python's zoneinfo). 2026-01-01 is day 20,454 (56 years, 14 of them leap).
const DEFAULTS = ShippingCutoffs.parse({}); // standard 12-15, express 12-20
const at = (iso: string) => new Date(iso);

describe("storefrontDeadlines", () => {
  it("gives the contract's value for New York (EST in December, EDT on Oct 31)", () => {
    const value = storefrontDeadlines({
      cutoffs: DEFAULTS,
      timeZone: "America/New_York",
      now: at("2026-11-20T12:00:00Z"),
    });
    expect(value).toEqual({
      version: 1,
      occasion: "Christmas",
      timeZone: "America/New_York",
      // Dec 15 − 45 days = Oct 31, still EDT (DST ends Nov 1 2026): 04:00Z on day 20,757
      showFrom: 1793419200,
      deadlines: [
        // 2026-12-15T23:59:59-05:00 = 2026-12-16T04:59:59Z: day 20,803 + 17,999 s
        { shipping: "standard", date: "2026-12-15", until: 1797397199, orderBy: "2026-12-15T23:59:59-05:00" },
        // 2026-12-21T04:59:59Z: day 20,808 + 17,999 s
        { shipping: "express", date: "2026-12-20", until: 1797829199, orderBy: "2026-12-20T23:59:59-05:00" },
      ],
    });
    expect(StorefrontDeadlines.parse(value)).toEqual(value);
  });

  it("writes London's GMT and Sydney's AEDT offsets", () => {
    const london = storefrontDeadlines({ cutoffs: DEFAULTS, timeZone: "Europe/London", now: at("2026-06-01T00:00:00Z") });
    expect(london.deadlines[0]).toEqual({
      shipping: "standard",
      date: "2026-12-15",
      until: 1797379199, // 2026-12-15T23:59:59Z: day 20,802 + 86,399 s
      orderBy: "2026-12-15T23:59:59+00:00",
    });
    expect(london.showFrom).toBe(1793404800); // Oct 31 00:00 GMT (BST ended Oct 25)
    const sydney = storefrontDeadlines({ cutoffs: DEFAULTS, timeZone: "Australia/Sydney", now: at("2026-06-01T00:00:00Z") });
    expect(sydney.deadlines[0]).toMatchObject({ until: 1797339599, orderBy: "2026-12-15T23:59:59+11:00" });
    expect(sydney.showFrom).toBe(1793365200); // Oct 31 00:00 AEDT = Oct 30 13:00Z
  });

  it("starts the window in summer time when it begins before the clocks go back", () => {
    // standard Nov 20 → window from Oct 6, in BST (+01:00): Oct 5 23:00Z = day 20,731 × 86,400 + 82,800
    const value = storefrontDeadlines({
      cutoffs: ShippingCutoffs.parse({ standard: { date: "11-20" }, express: { daysBeforeChristmas: 30 } }),
      timeZone: "Europe/London",
      now: at("2026-10-01T00:00:00Z"),
    });
    expect(value.showFrom).toBe(1791241200);
    expect(value.deadlines.map((d) => d.date)).toEqual(["2026-11-20", "2026-11-25"]);
  });

  it("takes the shop's calendar to tell which Christmas is next", () => {
    // Dec 25 23:00 in New York is already Dec 26 in UTC: still this season (every deadline passed)
    const late = storefrontDeadlines({ cutoffs: DEFAULTS, timeZone: "America/New_York", now: at("2026-12-26T04:00:00Z") });
    expect(late.deadlines[0]?.date).toBe("2026-12-15");
    // Dec 26 in New York: next year's season; 2027-12-16T04:59:59Z = day 21,168 + 17,999 s
    const next = storefrontDeadlines({ cutoffs: DEFAULTS, timeZone: "America/New_York", now: at("2026-12-26T05:00:00Z") });
    expect(next.deadlines[0]).toMatchObject({ date: "2027-12-15", until: 1828933199 });
    // the same instant is already Dec 26 in Auckland (+13)
    const auckland = storefrontDeadlines({ cutoffs: DEFAULTS, timeZone: "Pacific/Auckland", now: at("2026-12-25T12:00:00Z") });
    expect(auckland.deadlines[0]?.date).toBe("2027-12-15");
  });

  it("leaves out an express cut-off on the standard one's day", () => {
    const value = storefrontDeadlines({
      cutoffs: ShippingCutoffs.parse({ standard: { date: "12-18" }, express: { daysBeforeChristmas: 7 } }),
      timeZone: "UTC",
      now: at("2026-12-01T00:00:00Z"),
    });
    expect(value.deadlines).toEqual([
      { shipping: "standard", date: "2026-12-18", until: 1797638399, orderBy: "2026-12-18T23:59:59+00:00" },
    ]);
  });

  it("refuses a zone Intl does not know", () => {
    expect(() => storefrontDeadlines({ cutoffs: DEFAULTS, timeZone: "Mars/Olympus", now: at("2026-12-01T00:00:00Z") })).toThrow(
      RangeError,
    );
  });
});

describe("seasonYear", () => {
  it("is this year through Christmas Day, next year from Boxing Day", () => {
    expect(seasonYear("2026-01-01")).toBe(2026);
    expect(seasonYear("2026-12-25")).toBe(2026);
    expect(seasonYear("2026-12-26")).toBe(2027);
    expect(seasonYear("2026-12-31")).toBe(2027);
  });
});

// Properties, against Intl's own reading of the zones (not the module's wall-clock arithmetic).
const ZONES = [
  "UTC",
  "Europe/London",
  "America/New_York",
  "Australia/Sydney",
  "America/Los_Angeles",
  "America/St_Johns",
  "Asia/Kolkata",
  "Asia/Kathmandu",
  "Pacific/Chatham",
  "Pacific/Auckland",
  "America/Santiago",
  "Pacific/Kiritimati",
  "Pacific/Pago_Pago",
] as const;

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** The zone's calendar date and wall time at an epoch second, as Intl reads them. */
function intlWall(seconds: number, timeZone: string): { date: string; time: string } {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    dateFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(seconds * 1000)).map((p) => [p.type, p.value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour === "24" ? "00" : parts.hour}:${parts.minute}:${parts.second}`,
  };
}

const cutoffs = fc
  .tuple(fc.integer({ min: 1, max: 54 }), fc.integer({ min: 1, max: 54 }), fc.boolean())
  .map(([a, b, asDate]) => {
    const [standard, express] = [Math.max(a, b), Math.min(a, b)];
    const expressCutoff = asDate
      ? { date: addDays("2026-12-25", -express).slice(5) }
      : { daysBeforeChristmas: express };
    return ShippingCutoffs.parse({ standard: { daysBeforeChristmas: standard }, express: expressCutoff });
  });
const input = fc.record({
  cutoffs,
  timeZone: fc.constantFrom(...ZONES),
  now: fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2099-12-31T00:00:00Z"), noInvalidDate: true }),
});

describe("storefrontDeadlines properties", () => {
  it("has strictly increasing untils, each the last second of its date in the zone", () => {
    fc.assert(
      fc.property(input, (args) => {
        const value = storefrontDeadlines(args);
        expect(StorefrontDeadlines.parse(value)).toEqual(value);
        const untils = value.deadlines.map((d) => d.until);
        expect(untils).toEqual([...untils].sort((a, b) => a - b));
        expect(new Set(untils).size).toBe(untils.length);
        for (const d of value.deadlines) {
          expect(intlWall(d.until, args.timeZone).date).toBe(d.date);
          expect(intlWall(d.until + 1, args.timeZone).date).toBe(addDays(d.date, 1));
          expect(intlWall(d.until, args.timeZone).time).toBe("23:59:59");
          expect(Date.parse(d.orderBy)).toBe(d.until * 1000);
          expect(d.orderBy.slice(0, 19)).toBe(`${d.date}T23:59:59`);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("is for the Christmas ahead in the shop's calendar", () => {
    fc.assert(
      fc.property(input, (args) => {
        const value = storefrontDeadlines(args);
        const today = intlWall(Math.floor(args.now.getTime() / 1000), args.timeZone).date;
        const year = Number(value.deadlines[0]?.date.slice(0, 4));
        expect(today <= `${year}-12-25`).toBe(true);
        expect(today > `${year - 1}-12-25`).toBe(true);
        expect(localDateAt(args.now.getTime(), args.timeZone)).toBe(today);
      }),
      { numRuns: 300 },
    );
  });

  it("shows from the first day the shop's delivery promise names a cut-off", () => {
    fc.assert(
      fc.property(input, (args) => {
        const value = storefrontDeadlines(args);
        const first = intlWall(value.showFrom, args.timeZone);
        // the day's first second: midnight, or the end of a clock change that skips it (Chile's,
        // at midnight): the second before is still the day before
        expect(intlWall(value.showFrom - 1, args.timeZone).date).toBe(addDays(first.date, -1));
        expect(["00:00:00", "01:00:00"]).toContain(first.time);
        // the messages' rule (shipping.ts) promises from that day on, and not the day before
        expect(deliveryPromiseOn(args.cutoffs, first.date)).not.toBeNull();
        expect(deliveryPromiseOn(args.cutoffs, addDays(first.date, -1))).toBeNull();
        expect(value.showFrom).toBeLessThan(value.deadlines[0]?.until ?? 0);
      }),
      { numRuns: 300 },
    );
  });
});
