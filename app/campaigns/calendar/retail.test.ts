import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, weekdayOf } from "../../messaging/rules/local-dates";
import {
  blackFriday,
  cyberMonday,
  cyberWeek,
  fathersDayJune,
  greenMonday,
  motheringSundayUK,
  mothersDayUS,
  smallBusinessSaturday,
} from "./retail";

// Checked by hand against a printed calendar (Nov 1 of 2024 is a Friday, and so on).
const BY_YEAR = {
  2024: {
    blackFriday: "2024-11-29",
    smallBusiness: "2024-11-30",
    cyberMonday: "2024-12-02",
    greenMonday: "2024-12-09",
    motheringSunday: "2024-03-10",
    mothersDayUS: "2024-05-12",
    fathersDay: "2024-06-16",
  },
  2025: {
    blackFriday: "2025-11-28",
    smallBusiness: "2025-11-29",
    cyberMonday: "2025-12-01",
    greenMonday: "2025-12-08",
    motheringSunday: "2025-03-30",
    mothersDayUS: "2025-05-11",
    fathersDay: "2025-06-15",
  },
  2026: {
    blackFriday: "2026-11-27",
    smallBusiness: "2026-11-28",
    cyberMonday: "2026-11-30",
    greenMonday: "2026-12-14",
    motheringSunday: "2026-03-15",
    mothersDayUS: "2026-05-10",
    fathersDay: "2026-06-21",
  },
  2027: {
    blackFriday: "2027-11-26",
    smallBusiness: "2027-11-27",
    cyberMonday: "2027-11-29",
    greenMonday: "2027-12-13",
    motheringSunday: "2027-03-07",
    mothersDayUS: "2027-05-09",
    fathersDay: "2027-06-20",
  },
  2028: {
    blackFriday: "2028-11-24",
    smallBusiness: "2028-11-25",
    cyberMonday: "2028-11-27",
    greenMonday: "2028-12-11",
    motheringSunday: "2028-03-26",
    mothersDayUS: "2028-05-14",
    fathersDay: "2028-06-18",
  },
  2029: {
    blackFriday: "2029-11-23",
    smallBusiness: "2029-11-24",
    cyberMonday: "2029-11-26",
    greenMonday: "2029-12-10",
    motheringSunday: "2029-03-11",
    mothersDayUS: "2029-05-13",
    fathersDay: "2029-06-17",
  },
  2030: {
    blackFriday: "2030-11-29",
    smallBusiness: "2030-11-30",
    cyberMonday: "2030-12-02",
    greenMonday: "2030-12-09",
    motheringSunday: "2030-03-31",
    mothersDayUS: "2030-05-12",
    fathersDay: "2030-06-16",
  },
} as const;

describe("retail dates", () => {
  for (const [year, want] of Object.entries(BY_YEAR)) {
    it(`are right for ${year}`, () => {
      const y = Number(year);
      expect({
        blackFriday: blackFriday(y),
        smallBusiness: smallBusinessSaturday(y),
        cyberMonday: cyberMonday(y),
        greenMonday: greenMonday(y),
        motheringSunday: motheringSundayUK(y),
        mothersDayUS: mothersDayUS(y),
        fathersDay: fathersDayJune(y),
      }).toEqual(want);
    });
  }

  it("Cyber Week runs Black Friday through Cyber Monday", () => {
    expect(cyberWeek(2026)).toEqual({
      start: "2026-11-27",
      end: "2026-11-30",
      days: ["2026-11-27", "2026-11-28", "2026-11-29", "2026-11-30"],
    });
  });

  it("hold their rules in every year", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2200 }), (year) => {
        const bf = blackFriday(year);
        expect(weekdayOf(bf)).toBe(5);
        expect(bf >= `${year}-11-23` && bf <= `${year}-11-29`).toBe(true);
        expect(cyberMonday(year)).toBe(addDays(bf, 3));
        expect(weekdayOf(cyberMonday(year))).toBe(1);
        const gm = greenMonday(year);
        expect(weekdayOf(gm)).toBe(1);
        expect(gm >= `${year}-12-08` && gm <= `${year}-12-14`).toBe(true);
        expect(weekdayOf(motheringSundayUK(year))).toBe(0);
        const week = cyberWeek(year);
        expect(week.days).toEqual([bf, smallBusinessSaturday(year), addDays(bf, 2), cyberMonday(year)]);
      }),
    );
  });
});
