import { ByteScanner, ByteText, QUOTE } from "./byte-scan";

// Matching a line against the exact shape the Admin API writes (keys in the query's order, no
// whitespace): fixed text compared a word at a time, values read where the shape puts them. Any
// difference is a miss (-1), never an error: the general reader reads that line instead.

const NULL_WORD = 0x6c6c756e; // "null" as a little-endian word
const TRUE_WORD = 0x65757274; // "true"
const FALS_WORD = 0x736c6166; // "fals"

export const text = (s: string): ByteText => new ByteText(s);

export class CanonicalScanner extends ByteScanner {
  /** The value read by the last `bool` (for `true`). */
  protected flag = false;
  /** The value read by the last `digits`. */
  protected digitValue = 0;

  /** p + the text's length when the bytes at p are `t`; -1 otherwise. */
  protected lit(p: number, t: ByteText): number {
    return p >= 0 && p + t.bytes.length <= this.limit && this.holds(p, t) ? p + t.bytes.length : -1;
  }

  /** The index of the next quote at or after p in the line, or -1. */
  protected quote(p: number): number {
    if (p < 0) return -1;
    const buf = this.buf;
    const end = this.limit;
    while (p < end && buf[p] !== QUOTE) p++;
    return p < end ? p : -1;
  }

  /** p at a string or `null`; the index after it, or -1 (an invalid string too). */
  protected stringOrNull(p: number): number {
    if (p < 0 || p + 4 > this.limit) return -1;
    if (this.buf[p] === QUOTE) return this.scanString(p);
    return this.words.getInt32(p, true) === NULL_WORD ? p + 4 : -1;
  }

  /** p at a string; the index after it, or -1. */
  protected string(p: number): number {
    return p >= 0 && p < this.limit && this.buf[p] === QUOTE ? this.scanString(p) : -1;
  }

  /** p at `null`: p + 4; -1 otherwise. */
  protected null(p: number): number {
    return p >= 0 && p + 4 <= this.limit && this.words.getInt32(p, true) === NULL_WORD ? p + 4 : -1;
  }

  /**
   * p at 1–15 digits followed by a quote: the index of that quote, the digits' value in this.digitValue;
   * -1 otherwise.
   */
  protected digits(p: number): number {
    if (p < 0) return -1;
    const buf = this.buf;
    const end = Math.min(this.limit, p + 16);
    let n = 0;
    let q = p;
    for (let d; q < end && (d = buf[q]! - 0x30) >= 0 && d <= 9; q++) n = n * 10 + d;
    if (q === p || q >= end || buf[q] !== QUOTE) return -1;
    this.digitValue = n;
    return q;
  }

  /** p at `true` or `false`; the index after it (this.flag is the value), or -1. */
  protected bool(p: number): number {
    if (p < 0 || p + 5 > this.limit) return -1;
    const word = this.words.getInt32(p, true);
    if (word === TRUE_WORD) {
      this.flag = true;
      return p + 4;
    }
    this.flag = false;
    return word === FALS_WORD && this.buf[p + 4] === 0x65 ? p + 5 : -1;
  }

  /** p after "[": strings separated by commas, then "]"; the index after it, or -1. */
  protected strings(p: number): number {
    if (p < 0 || p >= this.limit) return -1;
    if (this.buf[p] === 0x5d) return p + 1;
    for (;;) {
      p = this.string(p);
      if (p < 0 || p >= this.limit) return -1;
      const c = this.buf[p];
      if (c === 0x5d) return p + 1;
      if (c !== 0x2c) return -1;
      p++;
    }
  }
}
