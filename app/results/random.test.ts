import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { seededRng, xoshiro128ss } from "./random";

describe("xoshiro128**", () => {
  it("gives the reference algorithm's outputs from the state 1, 2, 3, 4 (worked by hand)", () => {
    // 1st: rotl(2 × 5, 7) × 9 = 1280 × 9; the state becomes (7, 0, 1026, 12288): 2nd rotl(0, 7) × 9;
    // then (12295, 1029, 1029, 25165824): 3rd rotl(1029 × 5, 7) × 9 = 658560 × 9
    const rng = xoshiro128ss([1, 2, 3, 4]);
    expect([rng.nextUint32(), rng.nextUint32(), rng.nextUint32()]).toEqual([11520, 0, 5927040]);
  });

  it("refuses the all-zero state, from which it would only ever give 0", () => {
    expect(() => xoshiro128ss([0, 0, 0, 0])).toThrow(RangeError);
  });
});

describe("seededRng", () => {
  it("gives the same numbers for the same seed and stream, others for another", () => {
    const draw = (seed: number, stream: number) => {
      const rng = seededRng(seed, stream);
      return Array.from({ length: 8 }, () => rng.nextUint32());
    };
    expect(draw(1, 0)).toEqual(draw(1, 0));
    expect(draw(1, 0)).not.toEqual(draw(2, 0));
    expect(draw(1, 0)).not.toEqual(draw(1, 1));
  });

  it("refuses a seed that is not an integer in [0, 2^32)", () => {
    for (const seed of [-1, 1.5, 2 ** 32, Number.NaN]) expect(() => seededRng(seed)).toThrow(RangeError);
  });

  it("draws floats in [0, 1) with mean ½ and variance 1/12", () => {
    const rng = seededRng(7);
    const n = 200_000;
    let sum = 0;
    let squares = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.nextFloat();
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
      squares += u * u;
    }
    const mean = sum / n;
    expect(outside).toBe(0);
    // standard errors: √(1/12 / n) ≈ 0.00065 for the mean
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.003);
    expect(Math.abs(squares / n - mean * mean - 1 / 12)).toBeLessThan(0.002);
  });

  it("draws every index of a range about equally often", () => {
    const rng = seededRng(11);
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < 70_000; i++) {
      const index = rng.nextIndex(7);
      counts[index] = (counts[index] ?? 0) + 1;
    }
    // 10,000 expected each, standard deviation ≈ 93
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  it("keeps nextIndex within [0, size)", () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 2 ** 31 }), (seed, size) => {
        const rng = seededRng(seed);
        for (let i = 0; i < 20; i++) {
          const index = rng.nextIndex(size);
          if (!Number.isInteger(index) || index < 0 || index >= size) return false;
        }
        return true;
      }),
    );
  });

  it("sums the values nextIndex would pick, and leaves the generator where nextIndex would", () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.array(fc.integer({ min: -1_000_000, max: 1_000_000 }), { minLength: 1, maxLength: 50 }),
        fc.nat({ max: 300 }),
        (seed, list, count) => {
          const values = Float64Array.from(list);
          const one = seededRng(seed);
          const all = seededRng(seed);
          let sum = 0;
          for (let i = 0; i < count; i++) sum += values[one.nextIndex(values.length)] ?? 0;
          return all.sumOfPicks(values, count) === sum && all.nextUint32() === one.nextUint32();
        },
      ),
    );
  });
});
