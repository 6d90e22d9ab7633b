import { describe, expect, it } from "vitest";
import { recipientsPerArm } from "./sample-size";

describe("recipientsPerArm", () => {
  it("gives the textbook 199 per group for 10% against 20%", () => {
    // (1.96 √(2 × 0.15 × 0.85) + 0.8416 √(0.16 + 0.09))² / 0.1² = (0.98983 + 0.42081)² / 0.01 = 198.96
    expect(recipientsPerArm(0.2, 0.1)).toBe(199);
    expect(recipientsPerArm(0.1, 0.2)).toBe(199);
  });

  it("works 4% against 5% by hand: 6,745", () => {
    // p̄ = 0.045: 1.96 × √0.08595 = 0.574606; 0.8416 × √(0.0475 + 0.0384) = 0.246668;
    // 0.821274² / 0.0001 = 6744.9
    expect(recipientsPerArm(0.05, 0.04)).toBe(6745);
  });

  it("has no answer for equal rates and refuses rates outside [0, 1]", () => {
    expect(recipientsPerArm(0.04, 0.04)).toBeNull();
    expect(() => recipientsPerArm(1.2, 0.04)).toThrow(RangeError);
  });
});
