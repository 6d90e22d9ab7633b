// The segments CSV written as bytes into reused chunks: the same text formatRow gives (csv.ts, the
// definition and the tests' oracle), without a string per cell. Only for cells that never need
// quoting: numbers, `gid://shopify/Customer/<digits>`, segment names. Pure.

const ZERO = 0x30;
const encoder = new TextEncoder();

export class AsciiChunk {
  readonly bytes: Uint8Array;
  length = 0;
  private readonly digits = new Uint8Array(24);

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
  }

  /** Room left; a row is written only when it surely fits. */
  get free(): number {
    return this.bytes.length - this.length;
  }

  raw(text: Uint8Array): void {
    this.bytes.set(text, this.length);
    this.length += text.length;
  }

  byte(c: number): void {
    this.bytes[this.length++] = c;
  }

  /** An integer (any safe integer) in decimal. */
  int(n: number): void {
    this.decimal(n, 0);
  }

  /** minor / 10^exponent with exactly `exponent` decimals: 1250, 2 → 12.50 (formatMinor). */
  decimal(minor: number, exponent: number): void {
    if (minor < 0) {
      this.byte(0x2d);
      minor = -minor;
    }
    // digits from the last, at least one before the point
    let k = 0;
    do {
      const q = Math.floor(minor / 10);
      this.digits[k++] = ZERO + (minor - q * 10);
      minor = q;
    } while (minor > 0 || k <= exponent);
    while (k > exponent) this.bytes[this.length++] = this.digits[--k]!;
    if (exponent === 0) return;
    this.byte(0x2e);
    while (k > 0) this.bytes[this.length++] = this.digits[--k]!;
  }
}

export const ascii = (text: string): Uint8Array => encoder.encode(text);

/** discounted / frequency to 4 decimals, half up (formatShare), written into `out`. */
export function writeShare(out: AsciiChunk, discounted: number, frequency: number): void {
  const a = discounted * 20_000 + frequency;
  const b = 2 * frequency;
  out.decimal((a - (a % b)) / b, 4);
}
