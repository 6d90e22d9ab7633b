import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { newcombeDifference, wilsonInterval } from "./newcombe";

// Published values: Newcombe, "Two-sided confidence intervals for the single proportion" and
// "Interval estimation for the difference between independent proportions" (Stat. Med. 1998;
// 17:857–872 and 873–890), the Wilson interval (method 3) and the hybrid score interval (method 10),
// given there to 4 decimals.

const near = (actual: number, published: number) =>
  expect(Math.abs(actual - published)).toBeLessThan(0.00005);

describe("wilsonInterval", () => {
  it("gives Newcombe's published intervals", () => {
    const [l1, u1] = wilsonInterval(81, 263);
    near(l1, 0.2553);
    near(u1, 0.3662);
    const [l2, u2] = wilsonInterval(15, 148);
    near(l2, 0.0624);
    near(u2, 0.1605);
  });

  it("starts at exactly 0 with no success and ends at exactly 1 with all", () => {
    expect(wilsonInterval(0, 20)[0]).toBe(0);
    expect(wilsonInterval(20, 20)[1]).toBe(1);
  });
});

describe("newcombeDifference", () => {
  it("gives the published method 10 intervals of Newcombe's examples", () => {
    const examples: [number, number, number, number, number, number][] = [
      [56, 70, 48, 80, 0.0524, 0.3339],
      [9, 10, 3, 10, 0.1705, 0.809],
      [5, 56, 0, 29, -0.0381, 0.1926],
      [0, 10, 0, 20, -0.1611, 0.2775],
      [0, 10, 0, 10, -0.2775, 0.2775],
      [10, 10, 0, 20, 0.6791, 1],
      [10, 10, 0, 10, 0.6075, 1],
    ];
    for (const [x1, n1, x2, n2, lower, upper] of examples) {
      const { estimate, ci95 } = newcombeDifference(x1, n1, x2, n2);
      expect(estimate).toBeCloseTo(x1 / n1 - x2 / n2, 15);
      near(ci95[0], lower);
      near(ci95[1], upper);
    }
  });

  const counts = fc
    .tuple(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 5000 }))
    .chain(([n1, n2]) =>
      fc.tuple(
        fc.integer({ min: 0, max: n1 }),
        fc.constant(n1),
        fc.integer({ min: 0, max: n2 }),
        fc.constant(n2),
      ),
    );

  it("holds its estimate, within [−1, 1]", () => {
    fc.assert(
      fc.property(counts, ([x1, n1, x2, n2]) => {
        const { estimate, ci95 } = newcombeDifference(x1, n1, x2, n2);
        return -1 <= ci95[0] && ci95[0] <= estimate && estimate <= ci95[1] && ci95[1] <= 1;
      }),
    );
  });

  it("negates when the arms swap", () => {
    fc.assert(
      fc.property(counts, ([x1, n1, x2, n2]) => {
        const ab = newcombeDifference(x1, n1, x2, n2);
        const ba = newcombeDifference(x2, n2, x1, n1);
        // exactly, and 0 equal to −0
        return ba.estimate === -ab.estimate && ba.ci95[0] === -ab.ci95[1] && ba.ci95[1] === -ab.ci95[0];
      }),
    );
  });
});
