import { Z_975 } from "./newcombe";

// How many recipients an experiment needs. Pure.

/** Φ⁻¹(0.80): the z of 80% power. */
export const Z_80 = 0.8416212335729143;

/**
 * Recipients per arm (equal arms) for 80% power to tell conversion rates p1 and p2 apart with a
 * two-sided test at α = 0.05: the standard formula for two proportions, without continuity
 * correction, n = (z₀.₉₇₅ √(2 p̄ q̄) + z₀.₈ √(p1 q1 + p2 q2))² / (p1 − p2)². Null when p1 = p2.
 */
export function recipientsPerArm(p1: number, p2: number): number | null {
  if (!(p1 >= 0 && p1 <= 1 && p2 >= 0 && p2 <= 1))
    throw new RangeError(`rates must be in [0, 1]: ${p1}, ${p2}`);
  if (p1 === p2) return null;
  const mean = (p1 + p2) / 2;
  const alphaTerm = Z_975 * Math.sqrt(2 * mean * (1 - mean));
  const powerTerm = Z_80 * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  return Math.ceil((alphaTerm + powerTerm) ** 2 / (p1 - p2) ** 2);
}
