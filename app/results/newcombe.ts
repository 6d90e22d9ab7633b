// Intervals for proportions. Pure. Wilson's score interval for one proportion, and Newcombe's
// hybrid score interval for the difference of two independent ones (method 10 of Newcombe, Stat.
// Med. 1998; 17:873–890): it keeps its coverage near the nominal level with small and zero counts,
// where the Wald interval collapses.

/** Φ⁻¹(0.975): the z of a two-sided 95% interval. */
export const Z_975 = 1.959963984540054;

export type Interval = [lower: number, upper: number];

/** Wilson's 95% score interval for x successes out of n > 0 trials. */
export function wilsonInterval(x: number, n: number): Interval {
  const p = x / n;
  const z = Z_975;
  const z2 = z * z;
  const centre = 2 * n * p + z2;
  const spread = z * Math.sqrt(z2 + 4 * n * p * (1 - p));
  const denominator = 2 * (n + z2);
  // at x = 0 and x = n the bounds are exactly 0 and 1; the formula leaves rounding crumbs there
  return [x === 0 ? 0 : (centre - spread) / denominator, x === n ? 1 : (centre + spread) / denominator];
}

export interface ProportionDifference {
  estimate: number;
  ci95: Interval;
}

/** p1 − p2 with Newcombe's 95% hybrid score interval; both n must be > 0. */
export function newcombeDifference(x1: number, n1: number, x2: number, n2: number): ProportionDifference {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const [l1, u1] = wilsonInterval(x1, n1);
  const [l2, u2] = wilsonInterval(x2, n2);
  const estimate = p1 - p2;
  const lower = estimate - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2);
  const upper = estimate + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2);
  return { estimate, ci95: [Math.max(-1, lower), Math.min(1, upper)] };
}
