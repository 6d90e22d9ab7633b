import { describe, expect, it } from "vitest";
import { computeLift, type ArmInput } from "./lift";
import { seededRng, type Rng } from "./random";

// 1,000 simulated experiments with a known truth: 3,000 recipients per arm, control converts at 4%
// and treated at 5%, a buyer spends 10, 40, 150 or 600.00 with probabilities 0.5, 0.3, 0.15 and 0.05
// (a mean of exactly 69.50). So the true lifts are 0.01 in conversion and 0.01 × 6950 = 69.5 minor
// units of revenue per recipient; a 95% interval must hold them in 93–97% of the experiments.

const RECIPIENTS = 3000;
const CONTROL_RATE = 0.04;
const TREATED_RATE = 0.05;
const BASKETS: readonly (readonly [minor: number, probability: number])[] = [
  [1000, 0.5],
  [4000, 0.3],
  [15000, 0.15],
  [60000, 0.05],
];
const MEAN_BASKET = 6950;
const EXPERIMENTS = 1000;

function simulateArm(rng: Rng, rate: number): ArmInput {
  const nonzeroRevenues: number[] = [];
  for (let i = 0; i < RECIPIENTS; i++) {
    if (rng.nextFloat() >= rate) continue;
    let u = rng.nextFloat();
    const basket = BASKETS.find(([, probability]) => (u -= probability) < 0) ?? BASKETS[BASKETS.length - 1];
    nonzeroRevenues.push(basket?.[0] ?? 0);
  }
  return { n: RECIPIENTS, conversions: nonzeroRevenues.length, nonzeroRevenues };
}

describe("computeLift's 95% intervals", () => {
  it("cover the true lifts in 93–97% of 1,000 simulated experiments", () => {
    expect(BASKETS.reduce((mean, [minor, probability]) => mean + minor * probability, 0)).toBeCloseTo(
      MEAN_BASKET,
      9,
    );
    const trueConversionLift = TREATED_RATE - CONTROL_RATE;
    const trueRevenueLift = trueConversionLift * MEAN_BASKET;
    let conversionCovered = 0;
    let revenueCovered = 0;
    for (let experiment = 0; experiment < EXPERIMENTS; experiment++) {
      const world = seededRng(experiment, 7);
      const treated = simulateArm(world, TREATED_RATE);
      const control = simulateArm(world, CONTROL_RATE);
      const { conversionLift, revenuePerRecipientLift } = computeLift(
        { treated, control },
        { seed: experiment },
      );
      const [cLo, cHi] = conversionLift.ci95 ?? [Number.NaN, Number.NaN];
      const [rLo, rHi] = revenuePerRecipientLift.ci95 ?? [Number.NaN, Number.NaN];
      if (cLo <= trueConversionLift && trueConversionLift <= cHi) conversionCovered++;
      if (rLo <= trueRevenueLift && trueRevenueLift <= rHi) revenueCovered++;
    }
    expect(conversionCovered / EXPERIMENTS).toBeGreaterThanOrEqual(0.93);
    expect(conversionCovered / EXPERIMENTS).toBeLessThanOrEqual(0.97);
    expect(revenueCovered / EXPERIMENTS).toBeGreaterThanOrEqual(0.93);
    expect(revenueCovered / EXPERIMENTS).toBeLessThanOrEqual(0.97);
  }, 30_000);
});
