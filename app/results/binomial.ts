import type { Rng } from "./random";

// Binomial(n, p) draws by inversion: exact up to floating point, no normal approximation. A small
// mean walks up from 0; a larger one starts at the mode, whose probability comes from Loader's
// saddle-point formula (as R's dbinom), and walks outward, so a draw costs O(√(np)) steps.

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const SMALL_MEAN = 10;

const smallLnFactorials: number[] = [0];
function lnFactorialSmall(k: number): number {
  for (let i = smallLnFactorials.length; i <= k; i++) {
    smallLnFactorials.push((smallLnFactorials[i - 1] ?? 0) + Math.log(i));
  }
  return smallLnFactorials[k] ?? Number.NaN;
}

/** ln(k!) − ((k + ½) ln k − k + ln √(2π)): Stirling's error, small and smooth. */
export function stirlingError(k: number): number {
  if (k < 16) return lnFactorialSmall(k) - (k + 0.5) * Math.log(k) + k - LN_SQRT_2PI;
  const k2 = k * k;
  return (1 / 12 - (1 / 360 - (1 / 1260 - 1 / (1680 * k2)) / k2) / k2) / k;
}

/** x ln(x / m) + m − x without the cancellation when x is near m (Loader 2000). */
export function deviance(x: number, m: number): number {
  if (Math.abs(x - m) < 0.1 * (x + m)) {
    let v = (x - m) / (x + m);
    let sum = (x - m) * v;
    let term = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      term *= v;
      const next = sum + term / (2 * j + 1);
      if (next === sum) return next;
      sum = next;
    }
    return sum;
  }
  return x * Math.log(x / m) + m - x;
}

/** P(X = k) for X ~ Binomial(n, p), 0 < k < n, 0 < p < 1. */
export function binomialPmfInterior(k: number, n: number, p: number): number {
  const q = 1 - p;
  const lc =
    stirlingError(n) - stirlingError(k) - stirlingError(n - k) - deviance(k, n * p) - deviance(n - k, n * q);
  return Math.exp(lc) * Math.sqrt(n / (2 * Math.PI * k * (n - k)));
}

function fromZero(rng: Rng, n: number, p: number): number {
  const q = 1 - p;
  const ratio = p / q;
  const f0 = Math.exp(n * Math.log1p(-p));
  for (;;) {
    let u = rng.nextFloat();
    let f = f0;
    for (let k = 0; k <= n && f > 0; k++) {
      if (u < f) return k;
      u -= f;
      f *= ((n - k) / (k + 1)) * ratio;
    }
    // the rounding left a sliver of [0, 1) past the last probability: draw again
  }
}

function fromMode(rng: Rng, n: number, p: number): number {
  const q = 1 - p;
  const mode = Math.floor((n + 1) * p);
  const fMode = binomialPmfInterior(mode, n, p);
  for (;;) {
    let u = rng.nextFloat();
    if (u < fMode) return mode;
    u -= fMode;
    let lo = mode;
    let hi = mode;
    let fLo = fMode;
    let fHi = fMode;
    while ((lo > 0 && fLo > 0) || (hi < n && fHi > 0)) {
      if (lo > 0) {
        fLo *= (lo * q) / ((n - lo + 1) * p);
        lo--;
        if (u < fLo) return lo;
        u -= fLo;
      }
      if (hi < n) {
        fHi *= ((n - hi) * p) / ((hi + 1) * q);
        hi++;
        if (u < fHi) return hi;
        u -= fHi;
      }
    }
  }
}

/** A draw of Binomial(n, p): n a non-negative integer, p in [0, 1]. */
export function binomial(rng: Rng, n: number, p: number): number {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(`binomial: n must be a whole number ≥ 0, not ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`binomial: p must be in [0, 1], not ${p}`);
  if (n === 0 || p === 0) return 0;
  if (p === 1) return n;
  if (p > 0.5) return n - binomial(rng, n, 1 - p);
  return n * p < SMALL_MEAN ? fromZero(rng, n, p) : fromMode(rng, n, p);
}
