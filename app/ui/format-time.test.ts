import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  displayZone,
  formatCalendarDate,
  formatCustomerTime,
  formatDate,
  formatDateTime,
  formatWallTime,
  timesNote,
} from "./format-time";

// Hand-worked: US clocks went forward on Sunday 2026-03-08 at 2:00 EST (07:00 UTC) and back on
// Sunday 2026-11-01 at 2:00 EDT (06:00 UTC); the EU's on the last Sunday of March, 2026-03-29, at
// 01:00 UTC. New York is UTC−5 in winter, UTC−4 in summer; Kolkata UTC+5:30 all year.
const NY = "America/New_York";

describe("formatDateTime", () => {
  it.each([
    ["2026-12-06T14:30:00Z", NY, "Dec 6, 2026, 9:30 AM EST"],
    ["2026-12-06T05:00:00Z", NY, "Dec 6, 2026, 12:00 AM EST"],
    ["2026-12-06T17:00:00Z", NY, "Dec 6, 2026, 12:00 PM EST"],
    ["2026-12-06T04:59:00Z", NY, "Dec 5, 2026, 11:59 PM EST"],
    ["2027-01-01T04:59:00Z", NY, "Dec 31, 2026, 11:59 PM EST"],
    // spring forward: 1:59 EST, then 3:00 EDT a minute later
    ["2026-03-08T06:59:00Z", NY, "Mar 8, 2026, 1:59 AM EST"],
    ["2026-03-08T07:00:00Z", NY, "Mar 8, 2026, 3:00 AM EDT"],
    // fall back: 1:30 happens twice, told apart by the abbreviation
    ["2026-11-01T05:30:00Z", NY, "Nov 1, 2026, 1:30 AM EDT"],
    ["2026-11-01T06:30:00Z", NY, "Nov 1, 2026, 1:30 AM EST"],
    ["2026-07-04T16:05:00Z", "America/Los_Angeles", "Jul 4, 2026, 9:05 AM PDT"],
    ["2026-03-29T00:59:00Z", "Europe/Berlin", "Mar 29, 2026, 1:59 AM GMT+1"],
    ["2026-03-29T01:00:00Z", "Europe/Berlin", "Mar 29, 2026, 3:00 AM GMT+2"],
    ["2026-12-06T14:30:00Z", "Asia/Kolkata", "Dec 6, 2026, 8:00 PM GMT+5:30"],
    ["2026-12-06T14:30:00Z", "UTC", "Dec 6, 2026, 2:30 PM UTC"],
  ])("%s in %s is %s", (iso, zone, expected) => {
    expect(formatDateTime(iso, zone)).toBe(expected);
    expect(formatDateTime(new Date(iso), zone)).toBe(expected);
  });

  it("shows an unknown or missing zone in UTC, and says so", () => {
    expect(formatDateTime("2026-12-06T14:30:00Z", "Mars/Olympus_Mons")).toBe("Dec 6, 2026, 2:30 PM UTC");
    expect(displayZone(null)).toBe("UTC");
    expect(displayZone("Nowhere/Town")).toBe("UTC");
    expect(displayZone(NY)).toBe(NY);
    expect(timesNote(NY)).toBe("Times are in your store's time zone, America/New_York.");
    expect(timesNote("")).toBe("Times are in UTC.");
  });

  it("agrees with the zone's offset at every instant (property: wall clock = UTC + offset)", () => {
    // Oracle: Intl's own "longOffset" name (GMT-05:00), applied by hand to the UTC fields.
    const offsetMinutes = (date: Date, zone: string) => {
      const name = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" })
        .formatToParts(date)
        .find((p) => p.type === "timeZoneName")?.value;
      const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name ?? "");
      if (!m) throw new Error(`offset of ${zone}: ${name}`);
      return m[1] ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
    };
    const zones = [NY, "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Kiritimati", "UTC"];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1) / 60_000, max: Date.UTC(2035, 0, 1) / 60_000 }),
        fc.constantFrom(...zones),
        (minute, zone) => {
          const instant = new Date(minute * 60_000);
          const local = new Date(instant.getTime() + offsetMinutes(instant, zone) * 60_000);
          const h = local.getUTCHours();
          const expected =
            `${["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][local.getUTCMonth()]} ` +
            `${local.getUTCDate()}, ${local.getUTCFullYear()}, ${h % 12 === 0 ? 12 : h % 12}:` +
            `${String(local.getUTCMinutes()).padStart(2, "0")} ${h < 12 ? "AM" : "PM"}`;
          expect(formatDateTime(instant, zone).startsWith(`${expected} `)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("formatDate", () => {
  it("is the zone's calendar date", () => {
    expect(formatDate("2026-12-06T04:59:00Z", NY)).toBe("Dec 5, 2026");
    expect(formatDate("2026-12-06T05:00:00Z", NY)).toBe("Dec 6, 2026");
    expect(formatDate("2026-12-05T18:30:00Z", "Asia/Kolkata")).toBe("Dec 6, 2026");
  });
});

describe("calendar dates and wall times", () => {
  it("names the weekday of a date without a zone", () => {
    expect(formatCalendarDate("2026-11-27")).toBe("Fri, Nov 27, 2026");
    expect(formatCalendarDate("2026-12-25")).toBe("Fri, Dec 25, 2026");
    expect(formatCalendarDate("2028-02-29")).toBe("Tue, Feb 29, 2028");
    expect(formatCalendarDate("not a date")).toBe("not a date");
  });

  it("writes a local send time the same way", () => {
    expect(formatWallTime("2026-11-27", "10:00")).toBe("Nov 27, 2026, 10:00 AM");
    expect(formatWallTime("2026-11-30", "00:05")).toBe("Nov 30, 2026, 12:05 AM");
    expect(formatWallTime("2026-11-30", "23:59")).toBe("Nov 30, 2026, 11:59 PM");
  });
});

describe("formatCustomerTime", () => {
  it("gives the customer's clock only when it differs from the shop's", () => {
    const at = "2026-12-06T14:30:00Z";
    expect(formatCustomerTime(at, "America/Los_Angeles", NY)).toBe("Dec 6, 2026, 6:30 AM PST");
    expect(formatCustomerTime(at, "Pacific/Auckland", NY)).toBe("Dec 7, 2026, 3:30 AM GMT+13");
    expect(formatCustomerTime(at, NY, NY)).toBeNull();
    expect(formatCustomerTime(at, null, NY)).toBeNull();
    expect(formatCustomerTime(at, "Not/AZone", NY)).toBeNull();
    expect(formatCustomerTime(null, "America/Los_Angeles", NY)).toBeNull();
  });
});
