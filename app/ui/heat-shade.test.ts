import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { heatCellColors, shadeStrength } from "./heat-shade";

// Oracle: WCAG 2.x relative luminance and contrast written out again from the definition
// (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio), on the hex strings the cells get.
function wcagContrast(foreground: string, background: string): number {
  const lum = (hex: string) => {
    const [r, g, b] = [1, 3, 5]
      .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
      .map((c) => (c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4)));
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
  };
  const [a, b] = [lum(foreground), lum(background)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

describe("heat map cells", () => {
  it("blend white into Polaris blue (hand-worked ends and middle)", () => {
    expect(heatCellColors(0, 10)).toEqual({ background: "#f0f5fc", color: "#303030" });
    // full strength: #005bd3 with white text (6.1:1)
    expect(heatCellColors(10, 10)).toEqual({ background: "#005bd3", color: "#ffffff" });
    // 0.15 + 0.85 × 0.5 = 0.575: 255 − 255×0.575 = 108.4, 255 − 164×0.575 = 160.7, 255 − 44×0.575 = 229.7
    expect(heatCellColors(5, 10).background).toBe("#6ca1e6");
    expect(shadeStrength(0, 0)).toBe(0.06);
  });

  it("the cells that failed before (white text at 55–84% shading) now pass", () => {
    // 3.29:1 and 4:1 were measured by axe on white text over these shades
    for (const count of [5, 6, 7, 8]) {
      const { background, color } = heatCellColors(count, 10);
      expect(wcagContrast(color, background)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("every count has text at 4.5:1 or more (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        (count, max) => {
          const { background, color } = heatCellColors(Math.min(count, max), max);
          expect(wcagContrast(color, background)).toBeGreaterThanOrEqual(4.5);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
