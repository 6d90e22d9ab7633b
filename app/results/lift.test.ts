import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeLift, LiftResult, type ArmInput } from "./lift";

describe("computeLift", () => {
  it("works a small group by hand", () => {
    const result = computeLift({
      treated: { n: 10, conversions: 3, nonzeroRevenues: [1250, 500, 4000] },
      control: { n: 8, conversions: 1, nonzeroRevenues: [2000] },
    });
    expect(result.treated).toEqual({
      n: 10,
      conversions: 3,
      revenue: 5750,
      conversionRate: 0.3,
      revenuePerRecipient: 575,
    });
    expect(result.control).toEqual({
      n: 8,
      conversions: 1,
      revenue: 2000,
      conversionRate: 0.125,
      revenuePerRecipient: 250,
    });
    // Wilson 3/10: (6 + 3.8415 ∓ 1.96 √(3.8415 + 8.4)) / 27.683 = 0.10779 to 0.60322; 1/8: 0.02242 to 0.47089.
    // 0.175 − √(0.19221² + 0.34589²) = −0.22071; 0.175 + √(0.30322² + 0.10258²) = 0.49510
    expect(result.conversionLift.estimate).toBeCloseTo(0.175, 12);
    expect(result.conversionLift.ci95?.[0]).toBeCloseTo(-0.22071, 5);
    expect(result.conversionLift.ci95?.[1]).toBeCloseTo(0.4951, 4);
    expect(result.revenuePerRecipientLift.estimate).toBe(325);
    expect(result.incrementalOrders.estimate).toBeCloseTo(1.75, 12);
    expect(result.incrementalOrders.ci95?.[0]).toBeCloseTo(-2.2071, 4);
    expect(result.incrementalRevenue.estimate).toBe(3250);
    const [lo, hi] = result.revenuePerRecipientLift.ci95 ?? [Number.NaN, Number.NaN];
    expect(result.incrementalRevenue.ci95).toEqual([lo * 10, hi * 10]);
    // p̄ = 0.2125: (1.96 √0.33469 + 0.8416 √(0.21 + 0.109375))² / 0.175² = 84.59
    expect(result.verdict).toEqual({
      verdict: "not enough data yet",
      recipientsNeededPerArm: 85,
      sizedFor: "observed difference",
    });
  });

  it("calls Newcombe's 56/70 against 48/80 enough data: 0.2000 (0.0524 to 0.3339)", () => {
    const result = computeLift({
      treated: { n: 70, conversions: 56, nonzeroRevenues: [] },
      control: { n: 80, conversions: 48, nonzeroRevenues: [] },
    });
    expect(result.conversionLift.estimate).toBeCloseTo(0.2, 12);
    expect(result.conversionLift.ci95?.[0]).toBeCloseTo(0.0524, 4);
    expect(result.conversionLift.ci95?.[1]).toBeCloseTo(0.3339, 4);
    expect(result.verdict).toEqual({ verdict: "enough data" });
    // 70 treated recipients: 14 orders more (3.67 to 23.37)
    expect(result.incrementalOrders.estimate).toBeCloseTo(14, 10);
    expect(result.incrementalOrders.ci95?.[0]).toBeCloseTo(3.6702, 4);
    expect(result.incrementalOrders.ci95?.[1]).toBeCloseTo(23.3711, 4);
    expect(result.revenuePerRecipientLift).toEqual({ estimate: 0, ci95: [0, 0] });
  });

  it("sizes a 10% relative lift on the control rate when the rates are equal", () => {
    const result = computeLift({
      treated: { n: 1000, conversions: 40, nonzeroRevenues: [] },
      control: { n: 500, conversions: 20, nonzeroRevenues: [] },
    });
    // 4.4% against 4%: (1.96 √(2 × 0.042 × 0.958) + 0.8416 √(0.042064 + 0.0384))² / 0.004² = 39474.8
    expect(result.verdict).toEqual({
      verdict: "not enough data yet",
      recipientsNeededPerArm: 39475,
      sizedFor: "10% relative lift",
    });
  });

  it("has nulls, never NaN, for an empty arm, and sizes on the treated rate without a control", () => {
    const result = computeLift({
      treated: { n: 100, conversions: 30, nonzeroRevenues: [100] },
      control: { n: 0, conversions: 0, nonzeroRevenues: [] },
    });
    expect(result.control).toEqual({
      n: 0,
      conversions: 0,
      revenue: 0,
      conversionRate: null,
      revenuePerRecipient: null,
    });
    const none = { estimate: null, ci95: null };
    expect(result.conversionLift).toEqual(none);
    expect(result.revenuePerRecipientLift).toEqual(none);
    expect(result.incrementalOrders).toEqual(none);
    expect(result.incrementalRevenue).toEqual(none);
    // 33% against 30%: 3762.4
    expect(result.verdict).toEqual({
      verdict: "not enough data yet",
      recipientsNeededPerArm: 3763,
      sizedFor: "10% relative lift",
    });
    expect(JSON.stringify(result)).not.toContain("NaN");
  });

  it("cannot size anything without conversions", () => {
    const empty = { n: 0, conversions: 0, nonzeroRevenues: [] };
    expect(computeLift({ treated: empty, control: empty }).verdict).toEqual({
      verdict: "not enough data yet",
      recipientsNeededPerArm: null,
      sizedFor: null,
    });
    const result = computeLift({ treated: { ...empty, n: 10 }, control: { ...empty, n: 20 } });
    expect(result.conversionLift.estimate).toBe(0);
    expect(result.conversionLift.ci95?.[0]).toBeCloseTo(-0.1611, 4);
    expect(result.conversionLift.ci95?.[1]).toBeCloseTo(0.2775, 4);
    expect(result.verdict).toEqual({
      verdict: "not enough data yet",
      recipientsNeededPerArm: null,
      sizedFor: null,
    });
  });

  it("refuses inputs that cannot be", () => {
    const control = { n: 5, conversions: 0, nonzeroRevenues: [] };
    expect(() => computeLift({ treated: { n: 2, conversions: 3, nonzeroRevenues: [] }, control })).toThrow(
      /more conversions/,
    );
    expect(() =>
      computeLift({ treated: { n: 1, conversions: 1, nonzeroRevenues: [5, 6] }, control }),
    ).toThrow(/more revenues/);
    expect(() => computeLift({ treated: { n: 3, conversions: 1, nonzeroRevenues: [0] }, control })).toThrow(
      /leave revenues of 0 out/,
    );
    expect(() => computeLift({ treated: control, control }, { resamples: 999 })).toThrow();
  });

  const arm: fc.Arbitrary<ArmInput> = fc.integer({ min: 0, max: 400 }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      conversions: fc.integer({ min: 0, max: n }),
      nonzeroRevenues: fc.array(fc.integer({ min: 1, max: 500_000 }), { maxLength: Math.min(n, 25) }),
    }),
  );

  it("has intervals that hold their estimates, negates on a swap, repeats with a seed", () => {
    fc.assert(
      fc.property(arm, arm, fc.integer({ min: 0, max: 2 ** 32 - 1 }), (treated, control, seed) => {
        const result = computeLift({ treated, control }, { seed, resamples: 1000 });
        LiftResult.parse(result);
        expect(computeLift({ treated, control }, { seed, resamples: 1000 })).toEqual(result);
        for (const lift of [
          result.conversionLift,
          result.revenuePerRecipientLift,
          result.incrementalOrders,
          result.incrementalRevenue,
        ]) {
          if (lift.estimate === null || lift.ci95 === null) {
            expect(treated.n === 0 || control.n === 0).toBe(true);
            continue;
          }
          expect(lift.ci95[0]).toBeLessThanOrEqual(lift.estimate);
          expect(lift.estimate).toBeLessThanOrEqual(lift.ci95[1]);
        }
        const swapped = computeLift({ treated: control, control: treated }, { seed, resamples: 1000 });
        // exactly negated (0 and −0 alike): the conversion interval and both estimates
        const c = result.conversionLift;
        const s = swapped.conversionLift;
        expect(s.estimate === null ? c.estimate === null : -s.estimate === c.estimate).toBe(true);
        expect(
          s.ci95 === null ? c.ci95 === null : -s.ci95[1] === c.ci95?.[0] && -s.ci95[0] === c.ci95[1],
        ).toBe(true);
        const r = result.revenuePerRecipientLift.estimate;
        const rs = swapped.revenuePerRecipientLift.estimate;
        expect(rs === null ? r === null : -rs === r).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it("gives other intervals for another seed", () => {
    const input = {
      treated: { n: 500, conversions: 25, nonzeroRevenues: [1000, 2500, 9900, 4000, 1200, 7000, 3000, 500] },
      control: { n: 500, conversions: 20, nonzeroRevenues: [1500, 3000, 800, 6000] },
    };
    expect(computeLift(input, { seed: 1 }).revenuePerRecipientLift.ci95).not.toEqual(
      computeLift(input, { seed: 2 }).revenuePerRecipientLift.ci95,
    );
  });
});
