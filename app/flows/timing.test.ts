import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ZONES, localClock } from "../messaging/rules/test-fixtures";
import { BUILT_IN_FLOWS } from "./built-in";
import { programFor } from "./program";
import { advance, flowTimeZone, nextLocalTime } from "./timing";

const t = (iso: string) => new Date(iso).getTime();
const iso = (ms: number) => new Date(ms).toISOString();

describe("nextLocalTime", () => {
  it("is today when the time is still ahead, tomorrow when it has passed (New York, EST = UTC−5)", () => {
    expect(iso(nextLocalTime(t("2026-11-27T14:00:00Z"), "10:00", "America/New_York"))).toBe(
      "2026-11-27T15:00:00.000Z",
    );
    expect(iso(nextLocalTime(t("2026-11-27T15:00:00Z"), "10:00", "America/New_York"))).toBe(
      "2026-11-27T15:00:00.000Z",
    );
    expect(iso(nextLocalTime(t("2026-11-27T15:00:01Z"), "10:00", "America/New_York"))).toBe(
      "2026-11-28T15:00:00.000Z",
    );
    // 23:00 on the 27th in New York is already the 28th in UTC: the local day counts
    expect(iso(nextLocalTime(t("2026-11-28T04:00:00Z"), "10:00", "America/New_York"))).toBe(
      "2026-11-28T15:00:00.000Z",
    );
  });
  it("moves a time skipped by spring-forward to the end of the gap", () => {
    // 8 March 2026, New York: 02:00 EST jumps to 03:00 EDT (07:00 UTC)
    expect(iso(nextLocalTime(t("2026-03-08T05:00:00Z"), "02:30", "America/New_York"))).toBe(
      "2026-03-08T07:00:00.000Z",
    );
  });
  it("property: the result reads the local time asked for (or later in a gap), never before `after`, within a day and a bit", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: t("2026-01-01T00:00:00Z"), max: t("2027-01-01T00:00:00Z") }),
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: 23 }),
        (after, zone, hour) => {
          const at = nextLocalTime(after, `${String(hour).padStart(2, "0")}:00`, zone);
          expect(at).toBeGreaterThanOrEqual(after);
          expect(at - after).toBeLessThanOrEqual(26 * 3_600_000);
          const clock = localClock(at, zone);
          if (clock.hour !== hour)
            // a gap's end: :00, :30 (Lord Howe) or :45 (Chatham, whose clocks jump 02:45 → 03:45)
            expect([0, 30, 45]).toContain(clock.minute);
          else expect(clock.minute).toBe(0);
        },
      ),
    );
  });
});

describe("advance", () => {
  const program = programFor(BUILT_IN_FLOWS.abandoned_checkout.definition.steps);
  it("walks the waits to the next send", () => {
    expect(advance(program, 0, t("2026-11-27T10:00:00Z"), "America/New_York")).toEqual({
      index: 1,
      dueAt: new Date("2026-11-27T11:00:00Z"),
      wakeAt: new Date("2026-11-27T11:00:00Z"),
      decided: [],
    });
    expect(advance(program, 2, t("2026-11-27T11:00:00Z"), "UTC")?.dueAt).toEqual(
      new Date("2026-11-28T11:00:00Z"),
    );
    expect(advance(program, 4, t("2026-11-28T11:00:00Z"), "UTC")?.dueAt).toEqual(
      new Date("2026-11-30T11:00:00Z"),
    );
    expect(advance(program, null, 0, "UTC")).toBeNull();
  });
  it("waits until a local time in the customer's zone, else the shop's", () => {
    const vip = programFor(BUILT_IN_FLOWS.vip_recognition.definition.steps);
    expect(flowTimeZone("Asia/Tokyo", "America/New_York")).toBe("Asia/Tokyo");
    expect(flowTimeZone(null, "America/New_York")).toBe("America/New_York");
    expect(flowTimeZone("Mars/Olympus", "Europe/Berlin")).toBe("Europe/Berlin");
    // 20:00 UTC = 05:00 the next day in Tokyo: 10:00 there is 01:00 UTC
    expect(advance(vip, 0, t("2026-11-27T20:00:00Z"), "Asia/Tokyo")?.dueAt).toEqual(
      new Date("2026-11-28T01:00:00Z"),
    );
  });
});
