import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bootstrapMeanDifference, quantileSorted, type SparseSample } from "./bootstrap";
import { binomial } from "./binomial";
import { seededRng } from "./random";

const streams = (seed: number) => ({ treatedRng: seededRng(seed, 0), controlRng: seededRng(seed, 1) });

/** The plug-in variance of an arm's mean, Σ(x − x̄)² / n², which is the bootstrap's variance. */
function plugInVarianceOfMean(arm: SparseSample): number {
  const mean = arm.nonzero.reduce((a, b) => a + b, 0) / arm.n;
  const squares = arm.nonzero.reduce((a, v) => a + (v - mean) ** 2, (arm.n - arm.nonzero.length) * mean ** 2);
  return squares / arm.n ** 2;
}

describe("quantileSorted", () => {
  it("interpolates between order statistics", () => {
    const sorted = Float64Array.from([10, 20, 30, 40, 50]);
    expect(quantileSorted(sorted, 0)).toBe(10);
    expect(quantileSorted(sorted, 0.5)).toBe(30);
    expect(quantileSorted(sorted, 0.125)).toBe(15);
    expect(quantileSorted(sorted, 1)).toBe(50);
  });
});

describe("bootstrapMeanDifference", () => {
  it("gives a point interval when nothing can vary", () => {
    const none = bootstrapMeanDifference(
      { n: 50, nonzero: [] },
      { n: 30, nonzero: [] },
      { resamples: 1000, ...streams(1) },
    );
    expect(none).toEqual({ estimate: 0, ci95: [0, 0] });
    const all = bootstrapMeanDifference(
      { n: 3, nonzero: [700, 700, 700] },
      { n: 4, nonzero: [] },
      { resamples: 1000, ...streams(1) },
    );
    expect(all).toEqual({ estimate: 700, ci95: [700, 700] });
  });

  it("resamples with the variance of the full bootstrap: the plug-in variance of each mean", () => {
    const treated: SparseSample = {
      n: 2000,
      nonzero: [1250, 4000, 999, 15000, 2500, 2500, 60000, 800, 3100, 4200],
    };
    const control: SparseSample = { n: 1500, nonzero: [2000, 1000, 7500, 12500, 300] };
    const resamples = 40_000;
    const { estimate, ci95 } = bootstrapMeanDifference(treated, control, { resamples, ...streams(9) });
    expect(estimate).toBeCloseTo(94349 / 2000 - 23300 / 1500, 10);
    // the interval of a near-normal statistic is about ±1.96 sd wide; this one is skewed, so only
    // its width is compared: within 10% of 2 × 1.96 × sd
    const sd = Math.sqrt(plugInVarianceOfMean(treated) + plugInVarianceOfMean(control));
    expect((ci95[1] - ci95[0]) / (2 * 1.959964 * sd)).toBeGreaterThan(0.9);
    expect((ci95[1] - ci95[0]) / (2 * 1.959964 * sd)).toBeLessThan(1.1);
  });

  it("draws each resample's buyers as a dense bootstrap would: Binomial(n, buyers / n) of them", () => {
    // the sparse draw of one arm against n draws from all its recipients, by their means and variances
    const arm: SparseSample = { n: 400, nonzero: [500, 1500, 9000, 2500, 700, 40000, 1200, 3300] };
    const dense = [...arm.nonzero, ...new Array<number>(arm.n - arm.nonzero.length).fill(0)];
    const sparseRng = seededRng(21);
    const denseRng = seededRng(22);
    const resamples = 20_000;
    const sparse: number[] = [];
    const full: number[] = [];
    for (let i = 0; i < resamples; i++) {
      const k = binomial(sparseRng, arm.n, arm.nonzero.length / arm.n);
      let sum = 0;
      for (let j = 0; j < k; j++) sum += arm.nonzero[sparseRng.nextIndex(arm.nonzero.length)] ?? 0;
      sparse.push(sum / arm.n);
      let denseSum = 0;
      for (let j = 0; j < arm.n; j++) denseSum += dense[denseRng.nextIndex(arm.n)] ?? 0;
      full.push(denseSum / arm.n);
    }
    const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const varianceOf = (xs: number[]) => {
      const mean = meanOf(xs);
      return meanOf(xs.map((x) => (x - mean) ** 2));
    };
    const truth = plugInVarianceOfMean(arm);
    expect(Math.abs(varianceOf(sparse) / truth - 1)).toBeLessThan(0.05);
    expect(Math.abs(varianceOf(full) / truth - 1)).toBeLessThan(0.05);
    expect(Math.abs(meanOf(sparse) - meanOf(full))).toBeLessThan(0.05 * Math.sqrt(truth));
  });

  const arm = fc.integer({ min: 1, max: 300 }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      nonzero: fc.array(fc.integer({ min: 1, max: 100_000 }), { maxLength: Math.min(n, 30) }),
    }),
  );

  it("negates when the arms swap with their generators", () => {
    fc.assert(
      fc.property(arm, arm, fc.nat(), (a, b, seed) => {
        const ab = bootstrapMeanDifference(a, b, {
          resamples: 1000,
          treatedRng: seededRng(seed, 0),
          controlRng: seededRng(seed, 1),
        });
        const ba = bootstrapMeanDifference(b, a, {
          resamples: 1000,
          treatedRng: seededRng(seed, 1),
          controlRng: seededRng(seed, 0),
        });
        const scale = 1e-9 * (1 + Math.abs(ab.ci95[0]) + Math.abs(ab.ci95[1]));
        return (
          ba.estimate === -ab.estimate &&
          Math.abs(ba.ci95[0] + ab.ci95[1]) <= scale &&
          Math.abs(ba.ci95[1] + ab.ci95[0]) <= scale
        );
      }),
      { numRuns: 50 },
    );
  });

  it("holds its estimate, and the same seed gives the same interval", () => {
    fc.assert(
      fc.property(arm, arm, fc.nat(), (a, b, seed) => {
        const first = bootstrapMeanDifference(a, b, { resamples: 1000, ...streams(seed) });
        const again = bootstrapMeanDifference(a, b, { resamples: 1000, ...streams(seed) });
        expect(again).toEqual(first);
        return first.ci95[0] <= first.estimate && first.estimate <= first.ci95[1];
      }),
      { numRuns: 50 },
    );
  });
});
