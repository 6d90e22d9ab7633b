import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planProfile, type ProfileInput } from "./profile";

const MINUTE = 60_000;
const input: ProfileInput = {
  scale: 50,
  minutes: 2,
  abandoned: 0.2,
  seed: 13,
  customers: 1_000,
  variants: Array.from({ length: 30 }, (_, i) => 1 + (i % 3)),
  firstWaitMs: 15 * MINUTE,
  reminderWaitMs: 6 * 60 * MINUTE,
};

describe("planProfile", () => {
  const p = planProfile(input);

  it("is the same for the same seed", () => {
    expect(planProfile(input)).toEqual(p);
    expect(planProfile({ ...input, seed: 14 })).not.toEqual(p);
  });

  it("posts about scale × seconds webhooks, in time order, checkouts and their orders most of them", () => {
    const total = 50 * 120;
    expect(p.run.length).toBeGreaterThan(total * 0.9);
    expect(p.run.length).toBeLessThan(total * 1.1);
    expect(p.run.map((e) => e.at)).toEqual([...p.run.map((e) => e.at)].sort((a, b) => a - b));
    const kinds = p.run.reduce<Record<string, number>>(
      (n, e) => ({ ...n, [e.kind]: (n[e.kind] ?? 0) + 1 }),
      {},
    );
    expect(((kinds.checkout ?? 0) + (kinds.order ?? 0)) / p.run.length).toBeGreaterThan(0.75);
    expect(kinds.consent).toBeGreaterThan(0);
    expect(kinds.stock).toBeGreaterThan(0);
  });

  it("dates each checkout so its first message is due 36 to 72 s after its last webhook (30% to 60% of a 2-minute peak)", () => {
    for (const s of p.sessions.filter((x) => x.kind !== "yesterday")) {
      const posts = p.run.filter((e) => e.kind === "checkout" && e.session === s.session && !e.completed);
      const last = posts[posts.length - 1];
      if (!last || last.kind !== "checkout") throw new Error(`session ${s.session} has no checkout`);
      expect(last.activityAt + input.firstWaitMs).toBe(s.firstDueAt);
      expect(s.firstDueAt - last.at).toBeGreaterThanOrEqual(36_000);
      expect(s.firstDueAt - last.at).toBeLessThanOrEqual(72_000);
    }
  });

  it("abandons about the share asked; those who complete order before the first message is due", () => {
    const today = p.sessions.filter((s) => s.kind !== "yesterday");
    const left = today.filter((s) => s.kind === "abandoned" || s.kind === "returned").length / today.length;
    expect(left).toBeGreaterThan(0.15);
    expect(left).toBeLessThan(0.25);
    for (const s of today.filter((x) => x.kind === "completed" && x.customer !== null)) {
      const order = p.run.find((e) => e.kind === "order" && e.session === s.session);
      expect(order && order.at < s.firstDueAt).toBe(true);
    }
  });

  it("yesterday's checkouts come due for their first reminder inside the peak", () => {
    const yesterday = p.sessions.filter((s) => s.kind === "yesterday");
    expect(yesterday.length).toBe(p.setup.length);
    for (const s of yesterday) {
      expect(s.reminderDueAt).not.toBeNull();
      expect(s.reminderDueAt ?? -1).toBeGreaterThanOrEqual(0);
      expect(s.reminderDueAt ?? Infinity).toBeLessThanOrEqual(2 * MINUTE);
      expect(s.firstDueAt).toBe((s.reminderDueAt ?? 0) - input.reminderWaitMs);
    }
  });

  it("no cart started after a product sold out holds it, and sold-out products stay sold out", () => {
    const soldAt = new Map(
      p.run.flatMap((e) => (e.kind === "stock" && e.quantity === 0 ? [[e.product, e.at] as const] : [])),
    );
    expect([...soldAt.keys()].sort()).toEqual([...p.soldOut].sort());
    for (const e of p.run) {
      if (e.kind === "checkout" && e.first)
        for (const l of e.lines) expect(e.at < (soldAt.get(l.productIndex) ?? Infinity)).toBe(true);
      if (e.kind === "stock" && e.quantity > 0) expect(soldAt.has(e.product)).toBe(false);
    }
  });

  it("any scale and length: every checkout line names a product and variant of the store", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0.2, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (scale, minutes, abandoned) => {
          const q = planProfile({ ...input, scale, minutes, abandoned });
          for (const e of [...q.setup, ...q.run])
            if (e.kind === "checkout" || e.kind === "order")
              for (const l of e.lines)
                expect(l.variantIndex).toBeLessThan(input.variants[l.productIndex] ?? 0);
        },
      ),
      { numRuns: 30 },
    );
  });
});
