import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { showSyncRun, syncProgress, syncStillMoving, type SyncPhase } from "./sync-progress";

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

describe("following a sync", () => {
  const finishedAt = "2026-12-06T10:00:00.000Z";
  it("keeps looking until the backfill is over and its customers are scored", () => {
    expect(syncStillMoving(null, null)).toBe(true);
    expect(syncStillMoving({ status: "running", finishedAt: null }, null)).toBe(true);
    expect(syncStillMoving({ status: "running", finishedAt: null }, "2026-12-01T00:00:00.000Z")).toBe(true);
    expect(syncStillMoving({ status: "completed", finishedAt }, null)).toBe(true);
    expect(syncStillMoving({ status: "completed", finishedAt }, "2026-12-06T09:59:59.999Z")).toBe(true);
    expect(syncStillMoving({ status: "completed", finishedAt }, "2026-12-06T10:00:00.500Z")).toBe(false);
    expect(syncStillMoving({ status: "failed", finishedAt }, null)).toBe(false);
    expect(syncStillMoving({ status: "cancelled", finishedAt }, null)).toBe(false);
  });

  it("shows the run's start and end on the shop's clock", () => {
    const run = {
      id: "r",
      kind: "backfill",
      status: "completed" as const,
      phase: "done" as const,
      customersRead: 1,
      customersTotal: 1,
      ordersRead: 1,
      ordersTotal: 1,
      linesSkipped: 0,
      error: null,
      startedAt: "2026-12-06T09:58:00.000Z",
      finishedAt,
    };
    expect(showSyncRun(run, "America/New_York")).toMatchObject({
      startedLabel: "Dec 6, 2026, 4:58 AM EST",
      finishedLabel: "Dec 6, 2026, 5:00 AM EST",
    });
    expect(showSyncRun({ ...run, finishedAt: null }, "UTC")?.finishedLabel).toBeNull();
    expect(showSyncRun(null, "UTC")).toBeNull();
  });
});
