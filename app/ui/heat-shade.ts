// The heat map's cell colours: a solid blend from the card's white to Polaris blue by how many
// customers a cell holds, with whichever text colour reads at WCAG AA (4.5:1) on it. A translucent
// fill with white text on anything past half strength failed contrast between about 55% and 84%.

type Rgb = readonly [number, number, number];

const CARD: Rgb = [255, 255, 255];
const BLUE: Rgb = [0, 91, 211]; // #005bd3
const TEXT: Rgb = [48, 48, 48]; // #303030, Polaris text
const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];

export const MIN_CONTRAST = 4.5;

const channel = (value: number) => {
  const s = value / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};
const luminance = ([r, g, b]: Rgb) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);

/** WCAG 2 contrast ratio of two colours, 1 to 21. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [la, lb] = [luminance(a), luminance(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

const hex = (rgb: Rgb) => `#${rgb.map((v) => v.toString(16).padStart(2, "0")).join("")}`;

/** How strongly a cell is shaded: 6% when empty so the grid shows, the busiest cell full strength. */
export function shadeStrength(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 0.06;
  return 0.15 + 0.85 * Math.min(1, count / max);
}

/** A cell's background and text colours; the text always has at least 4.5:1 contrast. */
export function heatCellColors(count: number, max: number): { background: string; color: string } {
  const alpha = shadeStrength(count, max);
  const mix = (from: number, to: number) => Math.round(from + (to - from) * alpha);
  const background: Rgb = [mix(CARD[0], BLUE[0]), mix(CARD[1], BLUE[1]), mix(CARD[2], BLUE[2])];
  // Polaris text where it reads, else white, else black (one of the two always reaches 4.5:1).
  const color = [TEXT, WHITE, BLACK].find((text) => contrastRatio(text, background) >= MIN_CONTRAST) ?? BLACK;
  return { background: hex(background), color: hex(color) };
}
