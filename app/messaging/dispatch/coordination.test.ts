import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createMemoryCoordination, HORIZON_MS, reserveSlots } from "./coordination";

describe("reserveSlots", () => {
  it("hands out slots an interval apart, never beyond the horizon", () => {
    const first = reserveSlots(0, 1_000, 500, 100);
    expect(first.reservation).toEqual({ granted: HORIZON_MS / 10, startInMs: 0, intervalMs: 10 });
    expect(first.tat).toBe(1_000 + HORIZON_MS);
    const full = reserveSlots(first.tat, 1_000, 5, 100);
    expect(full.reservation.granted).toBe(0);
    expect(full.reservation.startInMs).toBe(1); // a slot comes within the horizon 1 ms from now
    const later = reserveSlots(first.tat, 1_050, 10, 100);
    expect(later.reservation).toMatchObject({ granted: 5, startInMs: HORIZON_MS - 50 });
  });

  it("never lets any window hold more than width / interval + 1 slots, however callers ask", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2_000 }),
        fc.array(fc.record({ wait: fc.integer({ min: 0, max: 400 }), n: fc.integer({ min: 1, max: 600 }) }), {
          minLength: 1,
          maxLength: 60,
        }),
        (rate, asks) => {
          let tat = 0;
          let now = 0;
          const slots: number[] = [];
          for (const ask of asks) {
            now += ask.wait;
            const { tat: next, reservation } = reserveSlots(tat, now, ask.n, rate);
            tat = next;
            for (let k = 0; k < reservation.granted; k++)
              slots.push(now + reservation.startInMs + k * reservation.intervalMs);
            expect(reservation.startInMs).toBeLessThanOrEqual(Math.max(HORIZON_MS, 1000 / rate) + 1);
          }
          slots.sort((a, b) => a - b);
          const width = 1_000;
          for (let i = 0, j = 0; i < slots.length; i++) {
            while ((slots[j] ?? Infinity) < (slots[i] ?? 0) + width) j++;
            expect(j - i).toBeLessThanOrEqual(Math.floor((width * rate) / 1000 + 1e-9) + 1);
          }
        },
      ),
    );
  });
});

describe("memory coordination", () => {
  it("gives a lane to one chain at a time, lets it renew and lose it when another takes over", async () => {
    let now = 0;
    const c = createMemoryCoordination(() => now);
    expect(await c.claimLane("l", "a", 1_000)).toBe(true);
    expect(await c.claimLane("l", "b", 1_000)).toBe(false);
    expect(await c.renewLane("l", "a", 1_000)).toBe(true);
    expect(await c.heldLanes(["l", "other"])).toEqual([true, false]);
    now = 5_000; // a's chain died
    expect(await c.heldLanes(["l"])).toEqual([false]);
    expect(await c.claimLane("l", "b", 1_000)).toBe(true);
    expect(await c.renewLane("l", "a", 1_000)).toBe(false);
    await c.releaseLane("l", "a");
    expect(await c.heldLanes(["l"])).toEqual([true]);
    await c.releaseLane("l", "b");
    expect(await c.renewLane("l", "a", 1_000)).toBe(true); // free again: an old chain may carry on
  });

  it("holds a limit: no slot before the hold ends", async () => {
    let now = 10_000;
    const c = createMemoryCoordination(() => now);
    await c.hold("shop:sms", 3_000);
    expect(await c.reserve("shop:sms", 5, 10)).toMatchObject({ granted: 0 });
    now = 12_950;
    expect(await c.reserve("shop:sms", 5, 10)).toMatchObject({ granted: 1, startInMs: 50, intervalMs: 100 });
  });
});
