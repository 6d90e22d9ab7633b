import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyCaps, type SendRecord } from "./caps";
import { isAllowedAt, nextAllowedSend, type QuietHours } from "./quiet-hours";
import { DEFAULT_AUDIENCE_SETTINGS } from "./settings";
import { ZONES } from "./test-fixtures";

const caps = DEFAULT_AUDIENCE_SETTINGS.caps;
const H = 3_600_000;
const d = (s: string) => new Date(s);
const email = (campaign: string, at: string): SendRecord => ({ campaign, channel: "email", at: d(at) });

describe("applyCaps", () => {
  const desired = d("2026-11-27T15:00:00Z");
  it("sends at once when no message of the channel is within the cap, before or after", () => {
    expect(applyCaps([], "email", desired, null, caps)).toEqual({
      kind: "send",
      at: desired,
      deferred: false,
    });
    const history = [
      email("a", "2026-11-26T23:00:00Z"),
      email("b", "2026-11-28T07:00:00Z"),
      { campaign: "c", channel: "sms" as const, at: desired },
    ];
    expect(applyCaps(history, "email", desired, null, caps)).toEqual({
      kind: "send",
      at: desired,
      deferred: false,
    }); // exactly 16 h both sides
  });
  it("defers past earlier and planned later messages", () => {
    expect(applyCaps([email("a", "2026-11-27T05:00:00Z")], "email", desired, null, caps)).toEqual({
      kind: "send",
      at: d("2026-11-27T21:00:00Z"),
      deferred: true,
    });
    // a planned message 10 h later blocks too; the first free moment is 16 h after it
    expect(applyCaps([email("b", "2026-11-28T01:00:00Z")], "email", desired, null, caps)).toMatchObject({
      at: d("2026-11-28T17:00:00Z"),
    });
    // chains: each deferral may meet the next message
    const chain = [email("a", "2026-11-27T05:00:00Z"), email("b", "2026-11-28T06:00:00Z")];
    expect(applyCaps(chain, "email", desired, null, caps)).toMatchObject({ at: d("2026-11-28T22:00:00Z") });
  });
  it("skips with frequency_cap when the deferral falls after the campaign's end", () => {
    const history = [email("a", "2026-11-27T05:00:00Z")];
    expect(applyCaps(history, "email", desired, d("2026-11-27T20:59:59Z"), caps)).toEqual({
      kind: "skip",
      reason: "frequency_cap",
      wouldSendAt: d("2026-11-27T21:00:00Z"),
    });
    expect(applyCaps(history, "email", desired, d("2026-11-27T21:00:00Z"), caps)).toMatchObject({
      kind: "send",
    });
  });
  it("puts a deferred SMS back inside the quiet hours", () => {
    const qh: QuietHours = { timeZone: "America/New_York", startMinute: 480, endMinute: 1260 };
    const sms: SendRecord = { campaign: "a", channel: "sms", at: d("2026-11-26T19:00:00Z") }; // 14:00 the day before
    // 24 h later is 14:00 again: allowed
    expect(applyCaps([sms], "sms", desired, null, caps, { quietHours: qh })).toMatchObject({
      at: d("2026-11-27T19:00:00Z"),
    });
    // 20:30 the day before: 24 h later is 20:30, still allowed
    expect(
      applyCaps([{ ...sms, at: d("2026-11-27T01:30:00Z") }], "sms", desired, null, caps, { quietHours: qh }),
    ).toMatchObject({ at: d("2026-11-28T01:30:00Z") });
    // 21:30 the day before: 24 h later is quiet, so it waits for 08:00 the next morning
    expect(
      applyCaps([{ ...sms, at: d("2026-11-27T02:30:00Z") }], "sms", desired, null, caps, { quietHours: qh }),
    ).toMatchObject({ at: d("2026-11-28T13:00:00Z") });
  });
  it("ignores the campaign's own records, other channels and uncapped channels", () => {
    expect(
      applyCaps([email("bfcm", "2026-11-27T14:00:00Z")], "email", desired, null, caps, { campaign: "bfcm" }),
    ).toMatchObject({ deferred: false });
    expect(
      applyCaps([{ campaign: "a", channel: "webhook", at: desired }], "webhook", desired, null, caps),
    ).toMatchObject({ deferred: false });
    expect(
      applyCaps([email("a", "2026-11-27T14:00:00Z")], "email", desired, null, { ...caps, email: null }),
    ).toMatchObject({ deferred: false });
    expect(
      applyCaps([{ campaign: "a", channel: "webhook", at: desired }], "webhook", desired, null, {
        ...caps,
        webhook: 2,
      }),
    ).toMatchObject({ at: d("2026-11-27T17:00:00Z") });
  });

  // Cyber Week for one customer: campaigns planned one after the other, each seeing what came before.
  const week = fc.array(
    fc.record({
      desired: fc.integer({ min: Date.UTC(2026, 10, 23), max: Date.UTC(2026, 10, 30) }),
      endsAfterHours: fc.option(fc.integer({ min: 0, max: 96 }), { nil: null }),
      channel: fc.constantFrom("email" as const, "sms" as const),
    }),
    { minLength: 1, maxLength: 12 },
  );
  it("property: two messages of one channel are never closer than the cap, SMS stays in quiet hours, nothing moves back", () => {
    fc.assert(
      fc.property(week, fc.constantFrom(...ZONES), (campaigns, timeZone) => {
        const qh: QuietHours = { timeZone, startMinute: 480, endMinute: 1260 };
        const history: SendRecord[] = [];
        campaigns.forEach((c, i) => {
          const quietHours = c.channel === "sms" ? qh : null;
          const start = nextAllowedSend({ desired: new Date(c.desired), now: new Date(0), quietHours });
          const end = c.endsAfterHours === null ? null : new Date(c.desired + c.endsAfterHours * H);
          const r = applyCaps(history, c.channel, start, end, caps, { quietHours, campaign: `c${i}` });
          if (r.kind === "send") {
            expect(r.at.getTime()).toBeGreaterThanOrEqual(start.getTime());
            if (end) expect(r.at.getTime()).toBeLessThanOrEqual(end.getTime());
            history.push({ campaign: `c${i}`, channel: c.channel, at: r.at });
          } else {
            expect(end).not.toBeNull();
            expect(r.wouldSendAt.getTime()).toBeGreaterThan(end?.getTime() ?? Infinity);
          }
        });
        for (const channel of ["email", "sms"] as const) {
          const times = history.filter((h) => h.channel === channel).map((h) => h.at.getTime());
          const gap = (channel === "email" ? 16 : 24) * H;
          for (const a of times)
            for (const b of times) if (a !== b) expect(Math.abs(a - b)).toBeGreaterThanOrEqual(gap);
          // equal times of one channel would be two messages at once
          expect(new Set(times).size).toBe(times.length);
          if (channel === "sms") for (const t of times) expect(isAllowedAt(t, qh)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
