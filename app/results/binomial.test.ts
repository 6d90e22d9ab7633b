import { describe, expect, it } from "vitest";
import { binomial, binomialPmfInterior } from "./binomial";
import { seededRng } from "./random";

// The oracle: exact binomial probabilities in BigInt arithmetic, for p = a / b.

function exactPmf(n: number, a: number, b: number): number[] {
  const [bigA, bigB, bigN] = [BigInt(a), BigInt(b), BigInt(n)];
  const denominator = bigB ** bigN;
  const pmf: number[] = [];
  let choose = 1n;
  for (let k = 0; k <= n; k++) {
    if (k > 0) choose = (choose * (bigN - BigInt(k) + 1n)) / BigInt(k);
    pmf.push(ratio(choose * bigA ** BigInt(k) * (bigB - bigA) ** (bigN - BigInt(k)), denominator));
  }
  return pmf;
}

/** num / den as the nearest-enough double: 60 significant bits of the quotient. */
function ratio(num: bigint, den: bigint): number {
  if (num === 0n) return 0;
  const shift = Math.max(0, 60 + den.toString(2).length - num.toString(2).length);
  return Number((num << BigInt(shift)) / den) / 2 ** shift;
}

/** Pearson's χ² of draws against expected probabilities, tail bins pooled to at least 5 expected. */
function chiSquare(
  counts: Map<number, number>,
  pmf: readonly number[],
  draws: number,
): { statistic: number; df: number } {
  let statistic = 0;
  let bins = 0;
  let expected = 0;
  let observed = 0;
  for (let k = 0; k < pmf.length; k++) {
    expected += (pmf[k] ?? 0) * draws;
    observed += counts.get(k) ?? 0;
    const restExpected = pmf.slice(k + 1).reduce((a, b) => a + b, 0) * draws;
    if (expected >= 5 && restExpected >= 5) {
      statistic += (observed - expected) ** 2 / expected;
      bins++;
      expected = 0;
      observed = 0;
    }
  }
  if (expected > 0) {
    statistic += (observed - expected) ** 2 / expected;
    bins++;
  }
  return { statistic, df: bins - 1 };
}

/** The χ² quantile at 1 − 0.001 by Wilson–Hilferty (z = 3.090). */
const chiSquareCritical = (df: number) => df * (1 - 2 / (9 * df) + 3.090232 * Math.sqrt(2 / (9 * df))) ** 3;

describe("binomialPmfInterior", () => {
  it("matches exact probabilities to 1e-12 relative, at the mode and in the tails", () => {
    for (const [n, a, b] of [
      [200, 1, 20],
      [3000, 1, 25],
      [1000, 3, 10],
    ] as const) {
      const pmf = exactPmf(n, a, b);
      for (const k of [1, Math.floor((n * a) / b), Math.floor((n * a) / b) + 7, Math.floor(n / 2), n - 1]) {
        const exact = pmf[k] ?? 0;
        if (exact < 1e-300) continue;
        expect(Math.abs(binomialPmfInterior(k, n, a / b) / exact - 1)).toBeLessThan(1e-12);
      }
    }
  });
});

describe("binomial", () => {
  it("has the mean np and the variance np(1 − p), walking from 0 and from the mode", () => {
    const rng = seededRng(3);
    const draws = 100_000;
    for (const [n, p] of [
      [40, 0.1],
      [3000, 0.04],
      [3000, 0.05],
      [100, 0.7],
      [2_000_000, 0.3],
    ] as const) {
      let sum = 0;
      let squares = 0;
      for (let i = 0; i < draws; i++) {
        const k = binomial(rng, n, p);
        sum += k;
        squares += k * k;
      }
      const mean = sum / draws;
      const variance = squares / draws - mean * mean;
      const trueVariance = n * p * (1 - p);
      // 5 standard errors: of the mean √(σ²/draws), of the variance about σ²√(2/draws)
      expect(Math.abs(mean - n * p)).toBeLessThan(5 * Math.sqrt(trueVariance / draws));
      expect(Math.abs(variance / trueVariance - 1)).toBeLessThan(5 * Math.sqrt(2 / draws));
    }
  });

  it("draws the exact distribution (χ² at the 0.1% level)", () => {
    const rng = seededRng(5);
    const draws = 200_000;
    for (const [n, a, b] of [
      [40, 1, 10],
      [200, 1, 10],
      [3000, 1, 20],
      [60, 7, 10],
    ] as const) {
      const pmf = exactPmf(n, a, b);
      const counts = new Map<number, number>();
      for (let i = 0; i < draws; i++) {
        const k = binomial(rng, n, a / b);
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      const { statistic, df } = chiSquare(counts, pmf, draws);
      expect(statistic).toBeLessThan(chiSquareCritical(df));
    }
  });

  it("gives 0 trials or a certain outcome without drawing", () => {
    const rng = seededRng(1);
    expect(binomial(rng, 0, 0.3)).toBe(0);
    expect(binomial(rng, 50, 0)).toBe(0);
    expect(binomial(rng, 50, 1)).toBe(50);
  });

  it("refuses a bad n or p", () => {
    const rng = seededRng(1);
    expect(() => binomial(rng, -1, 0.5)).toThrow(RangeError);
    expect(() => binomial(rng, 2.5, 0.5)).toThrow(RangeError);
    expect(() => binomial(rng, 10, 1.5)).toThrow(RangeError);
    expect(() => binomial(rng, 10, Number.NaN)).toThrow(RangeError);
  });
});
