import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MIN_YEAR } from "../../messaging/rules/local-dates";
import { PLAYBOOK_KEYS } from "./draft";
import { campaignEndedReason, checkSeason, nextSeasonYear, seasonLastDay, shopToday } from "./season";

const NY = "America/New_York";
const today = (iso: string, timeZone = NY) => shopToday({ now: new Date(iso), timeZone });
const next = (iso: string, timeZone = NY, shipping?: Parameters<typeof nextSeasonYear>[2]) => ({
  "cyber-week": nextSeasonYear("cyber-week", today(iso, timeZone), shipping),
  christmas: nextSeasonYear("christmas", today(iso, timeZone), shipping),
});

describe("the next season of each playbook", () => {
  it("knows each season's last day (hand-worked: Cyber Monday; the standard cut-off Dec 15)", () => {
    expect(seasonLastDay("cyber-week", 2026)).toBe("2026-11-30");
    expect(seasonLastDay("cyber-week", 2027)).toBe("2027-11-29");
    expect(seasonLastDay("christmas", 2026)).toBe("2026-12-15");
    expect(seasonLastDay("christmas", 2027)).toBe("2027-12-15");
    expect(seasonLastDay("christmas", 2026, { standard: { daysBeforeChristmas: 20 } })).toBe("2026-12-05");
  });

  it("on December 5, 2026 offers Christmas 2026 and Cyber Week 2027", () => {
    expect(next("2026-12-05T15:00:00Z")).toEqual({ "cyber-week": 2027, christmas: 2026 });
  });

  it("turns over at midnight after the last day on the shop's clock", () => {
    expect(next("2026-06-01T12:00:00Z")).toEqual({ "cyber-week": 2026, christmas: 2026 });
    // 23:30 on Cyber Monday in New York is already December 1 in UTC
    expect(next("2026-12-01T04:30:00Z")).toEqual({ "cyber-week": 2026, christmas: 2026 });
    expect(next("2026-12-01T05:30:00Z")).toEqual({ "cyber-week": 2027, christmas: 2026 });
    // a shop at UTC+14 is a day ahead
    expect(next("2026-11-30T10:00:00Z", "Pacific/Kiritimati")["cyber-week"]).toBe(2027);
    expect(next("2026-11-30T10:00:00Z", "Mars/Olympus")["cyber-week"]).toBe(2026); // unknown zone: UTC
    expect(next("2026-12-15T23:00:00Z").christmas).toBe(2026);
    expect(next("2026-12-16T05:00:00Z").christmas).toBe(2027);
    expect(next("2026-12-31T12:00:00Z")).toEqual({ "cyber-week": 2027, christmas: 2027 });
    expect(next("2027-01-01T12:00:00Z")).toEqual({ "cyber-week": 2027, christmas: 2027 });
    // the shop's own cut-off ends its Christmas sale earlier
    expect(next("2026-12-06T15:00:00Z", NY, { standard: { daysBeforeChristmas: 20 } }).christmas).toBe(2027);
  });

  it("says why a season that has ended cannot be planned, and which one can", () => {
    const check = checkSeason("cyber-week", 2026, "2026-12-05");
    expect(check).toEqual({
      ended: true,
      lastDay: "2026-11-30",
      next: 2027,
      message:
        "Cyber Week 2026 has ended: its last day was Mon, Nov 30, 2026 (the shop's time zone). Plan Cyber Week 2027 instead.",
    });
    expect(checkSeason("cyber-week", 2026, "2026-11-30")).toEqual({ ended: false, lastDay: "2026-11-30" });
    expect(checkSeason("christmas", 2026, "2026-12-05").ended).toBe(false);
    expect(
      campaignEndedReason({ name: "Cyber Week 2026: VIP early access", endsAt: "2026-11-30" }, "2026-12-01"),
    ).toMatch(/^Cyber Week 2026: VIP early access has ended: its last day was Mon, Nov 30, 2026/);
    expect(campaignEndedReason({ name: "x", endsAt: "2026-11-30" }, "2026-11-30")).toBeNull();
  });

  it("is the earliest season whose last day has not passed, whatever the day, zone and cut-offs", () => {
    const zones = fc.constantFrom(
      "UTC",
      NY,
      "America/Los_Angeles",
      "Europe/London",
      "Asia/Tokyo",
      "Pacific/Kiritimati",
      "Pacific/Pago_Pago",
    );
    const shipping = fc
      .tuple(fc.integer({ min: 1, max: 54 }), fc.integer({ min: 0, max: 53 }))
      .map(([standard, later]) => ({
        standard: { daysBeforeChristmas: standard },
        express: { daysBeforeChristmas: Math.max(1, standard - later) },
      }));
    const instants = fc
      .integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2150, 0, 1) })
      .map((ms) => new Date(ms));
    fc.assert(
      fc.property(
        fc.constantFrom(...PLAYBOOK_KEYS),
        instants,
        zones,
        shipping,
        (playbook, now, timeZone, cutoffs) => {
          const day = shopToday({ now, timeZone });
          // an oracle for the shop's day that shares no code with shopToday
          expect(day).toBe(
            new Intl.DateTimeFormat("en-CA", {
              timeZone,
              year: "numeric",
              month: "2-digit",
              day: "2-digit",
            }).format(now),
          );
          const year = nextSeasonYear(playbook, day, cutoffs);
          expect([0, 1]).toContain(year - Number(day.slice(0, 4)));
          expect(seasonLastDay(playbook, year, cutoffs) >= day).toBe(true);
          expect(checkSeason(playbook, year, day, cutoffs).ended).toBe(false);
          if (year - 1 >= MIN_YEAR) {
            expect(seasonLastDay(playbook, year - 1, cutoffs) < day).toBe(true);
            const ended = checkSeason(playbook, year - 1, day, cutoffs);
            expect(ended.ended && ended.message).toContain(`instead.`);
            expect(ended.ended && ended.message).toContain(` ${year} instead.`);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
