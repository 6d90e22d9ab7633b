import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { syncProgress, type SyncPhase } from "./sync-progress";

const phases: SyncPhase[] = ["requesting", "waiting", "orders", "customers", "products", "aggregating", "done"];

describe("sync progress", () => {
  it("is 100 once completed and grows with the counts", () => {
    const base = { status: "running" as const, customersRead: 0, customersTotal: 100, ordersRead: 0, ordersTotal: 1000 };
    expect(syncProgress({ ...base, phase: "requesting" })).toBe(0);
    expect(syncProgress({ ...base, phase: "orders", ordersRead: 500 })).toBe(45);
    expect(syncProgress({ ...base, phase: "customers", customersRead: 50 })).toBe(88);
    expect(syncProgress({ ...base, phase: "done", status: "completed" })).toBe(100);
  });

  it("never goes backwards as a run advances (property)", () => {
    const step = fc.record({
      phase: fc.integer({ min: 0, max: phases.length - 1 }),
      read: fc.integer({ min: 0, max: 2000 }),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 2, maxLength: 20 }), fc.integer({ min: 1, max: 2000 }), (steps, total) => {
        const ordered = steps
          .map((s) => ({ ...s }))
          .sort((a, b) => a.phase - b.phase || a.read - b.read);
        let previous = -1;
        for (const s of ordered) {
          const phase = phases[s.phase] ?? "done";
          const value = syncProgress({
            phase,
            status: "running",
            customersRead: s.read,
            customersTotal: total,
            ordersRead: s.read,
            ordersTotal: total,
          });
          expect(value).toBeGreaterThanOrEqual(previous);
          expect(value).toBeLessThanOrEqual(100);
          previous = value;
        }
      }),
    );
  });
});
