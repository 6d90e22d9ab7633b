// Validating and skipping JSON values over one line of a read buffer, byte by byte, with exactly the
// grammar JSON.parse accepts: a line is valid here when and only when JSON.parse accepts its text.
// Bytes of 0x80 and above are opaque inside strings (the text decoder turns invalid UTF-8 into U+FFFD
// there, never into a quote or backslash) and invalid outside them, as any non-ASCII character is.
// Nesting is followed with an explicit stack, so depth costs memory, not the call stack.

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
export const SPACE = 0x20;
export const QUOTE = 0x22;
const PLUS = 0x2b;
export const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
export const COLON = 0x3a;
export const LBRACKET = 0x5b;
export const BACKSLASH = 0x5c;
export const RBRACKET = 0x5d;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;

/** What a value is; ABSENT for a wanted path the line does not have. */
export const KIND = {
  ABSENT: 0,
  NULL: 1,
  FALSE: 2,
  TRUE: 3,
  NUMBER: 4,
  STRING: 5,
  OBJECT: 6,
  ARRAY: 7,
} as const;
export type Kind = (typeof KIND)[keyof typeof KIND];

/** The kind of a valid value by its first byte. */
export const KIND_BY_FIRST_BYTE = new Uint8Array(256).fill(KIND.NUMBER);
KIND_BY_FIRST_BYTE[0x6e] = KIND.NULL;
KIND_BY_FIRST_BYTE[0x66] = KIND.FALSE;
KIND_BY_FIRST_BYTE[0x74] = KIND.TRUE;
KIND_BY_FIRST_BYTE[QUOTE] = KIND.STRING;
KIND_BY_FIRST_BYTE[LBRACE] = KIND.OBJECT;
KIND_BY_FIRST_BYTE[LBRACKET] = KIND.ARRAY;

// 1 for a byte that stands for itself inside a string: one load per byte in the hottest loop.
const PLAIN = new Uint8Array(256);
for (let c = SPACE; c < 256; c++) PLAIN[c] = c === QUOTE || c === BACKSLASH ? 0 : 1;

// 1 for the letters that may follow a backslash (u is checked on its own).
const SIMPLE_ESCAPE = new Uint8Array(256);
for (const c of '"\\/bfnrt') SIMPLE_ESCAPE[c.charCodeAt(0)] = 1;

export const HEX = new Int8Array(256).fill(-1);
for (let c = 0; c < 10; c++) HEX[ZERO + c] = c;
for (let c = 0; c < 6; c++) {
  HEX[0x41 + c] = 10 + c;
  HEX[0x61 + c] = 10 + c;
}

const TRUE = new Uint8Array([0x74, 0x72, 0x75, 0x65]);
const FALSE = new Uint8Array([0x66, 0x61, 0x6c, 0x73, 0x65]);
const NULL = new Uint8Array([0x6e, 0x75, 0x6c, 0x6c]);
// "null", "true" and "fals" read as little-endian words
const NULL_WORD = 0x6c6c756e;
const TRUE_WORD = 0x65757274;
const FALS_WORD = 0x736c6166;

export const isSpace = (c: number): boolean => c === SPACE || c === LF || c === CR || c === TAB;

const encoder = new TextEncoder();

/**
 * A text's UTF-8 bytes, each whole eight of them as a double and each whole four as a word, to
 * compare eight bytes at a time. Comparing as doubles compares bits here: eight bytes without a NUL
 * are never ±0 or NaN, so only the same eight bytes equal them (a text with a NUL has no doubles).
 */
export class ByteText {
  readonly bytes: Uint8Array;
  readonly words: Int32Array;
  readonly doubles: Float64Array;

  constructor(readonly text: string) {
    this.bytes = encoder.encode(text);
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    this.words = Int32Array.from({ length: this.bytes.length >> 2 }, (_, i) => view.getInt32(i * 4, true));
    const doubles = this.bytes.includes(0) ? 0 : this.bytes.length >> 3;
    this.doubles = Float64Array.from({ length: doubles }, (_, i) => view.getFloat64(i * 8, true));
  }
}

export class ByteScanner {
  protected buf: Uint8Array = new Uint8Array(0);
  /** One past the line's last byte. */
  protected limit = 0;
  /** Where the text stopped being JSON, as an index into buf. */
  protected failAt = -1;
  /** Whether the last string scanned had a backslash escape. */
  protected escaped = false;
  // LBRACE or LBRACKET per open container of a skipped value; grows for deeper lines.
  private stack = new Uint8Array(64);
  // The read buffer four bytes at a time: strings are skipped a word per step, a loop over bytes
  // costing as much as JSON.parse does per byte.
  protected words = new DataView(new ArrayBuffer(0));
  private wordsOf: Uint8Array | undefined;

  /** Starts reading a line of buf that ends before end. */
  protected begin(buf: Uint8Array, end: number): void {
    if (buf !== this.wordsOf) {
      this.wordsOf = buf;
      this.words = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    this.buf = buf;
    this.limit = end;
    this.failAt = -1;
  }

  /** Whether buf[from, from + text's length) are text's bytes; the caller knows they are in the line. */
  protected holds(from: number, text: ByteText): boolean {
    const words = this.words;
    const d = text.doubles;
    const w = text.words;
    const b = text.bytes;
    let j = 0;
    for (let k = 0; k < d.length; k++, j += 8) if (words.getFloat64(from + j, true) !== d[k]) return false;
    for (; j + 4 <= b.length; j += 4) if (words.getInt32(from + j, true) !== w[j >> 2]) return false;
    for (; j < b.length; j++) if (this.buf[from + j] !== b[j]) return false;
    return true;
  }

  protected fail(p: number): number {
    this.failAt = p;
    return -1;
  }

  protected ws(p: number): number {
    const buf = this.buf;
    const end = this.limit;
    while (p < end && isSpace(buf[p]!)) p++;
    return p;
  }

  /** p at an opening quote; the index after the closing quote, or -1. this.escaped: whether it had escapes. */
  protected scanString(p: number): number {
    // Kept small enough for the optimizer to inline at every call: escapes are handled out of line.
    const buf = this.buf;
    const end = this.limit;
    const words = this.words;
    this.escaped = false;
    p++;
    for (;;) {
      // A word's quote, backslash and control bytes flagged (the has-zero-byte bit trick): the lowest
      // flag is always a true one, so it is where the word's first such byte is.
      while (p + 4 <= end) {
        const v = words.getInt32(p, true);
        const q = v ^ 0x22222222;
        const b = v ^ 0x5c5c5c5c;
        const flags =
          (((q - 0x01010101) & ~q) | ((b - 0x01010101) & ~b) | ((v - 0x20202020) & ~v)) & 0x80808080;
        if (flags !== 0) {
          p += (31 - Math.clz32(flags & -flags)) >> 3;
          break;
        }
        p += 4;
      }
      if (p >= end) return this.fail(p);
      const c = buf[p]!;
      if (PLAIN[c] === 1) p++;
      else if (c === QUOTE) return p + 1;
      else if ((p = this.escape(p)) < 0) return -1;
    }
  }

  // p at a backslash or a control byte inside a string; the index after the escape, or -1.
  private escape(p: number): number {
    const buf = this.buf;
    const end = this.limit;
    if (buf[p] !== BACKSLASH) return this.fail(p);
    this.escaped = true;
    if (p + 1 >= end) return this.fail(p + 1);
    const e = buf[p + 1]!;
    if (SIMPLE_ESCAPE[e] === 1) return p + 2;
    if (e !== 0x75) return this.fail(p + 1);
    if (p + 5 >= end) return this.fail(end);
    for (let i = p + 2; i < p + 6; i++) if (HEX[buf[i]!]! < 0) return this.fail(i);
    return p + 6;
  }

  /** p at a value (whitespace skipped) whose first byte is first; scanValue's result, strings and literals without its call. */
  protected quickValue(p: number, first: number): number {
    if (first === QUOTE) return this.scanString(p);
    if (p + 4 <= this.limit) {
      const word = this.words.getInt32(p, true);
      if (word === NULL_WORD || word === TRUE_WORD) return p + 4;
      if (word === FALS_WORD && p + 5 <= this.limit && this.buf[p + 4] === 0x65) return p + 5;
    }
    return this.scanValue(p);
  }

  /** p at a number's first byte; the index after it, or -1. */
  protected number(p: number): number {
    const buf = this.buf;
    const end = this.limit;
    if (buf[p] === MINUS) p++;
    if (p >= end) return this.fail(p);
    let c = buf[p]!;
    if (c === ZERO) p++;
    else if (c > ZERO && c <= NINE) while (p < end && (c = buf[p]!) >= ZERO && c <= NINE) p++;
    else return this.fail(p);
    if (p < end && buf[p] === DOT) {
      const first = ++p;
      while (p < end && (c = buf[p]!) >= ZERO && c <= NINE) p++;
      if (p === first) return this.fail(p);
    }
    if (p < end && (buf[p] === 0x65 || buf[p] === 0x45)) {
      p++;
      if (p < end && (buf[p] === PLUS || buf[p] === MINUS)) p++;
      const first = p;
      while (p < end && (c = buf[p]!) >= ZERO && c <= NINE) p++;
      if (p === first) return this.fail(p);
    }
    return p;
  }

  private literal(p: number, word: Uint8Array): number {
    const buf = this.buf;
    for (let i = 0; i < word.length; i++)
      if (p + i >= this.limit || buf[p + i] !== word[i]) return this.fail(p + i);
    return p + word.length;
  }

  /** p at a member's key (whitespace skipped); the index of its value (whitespace skipped), or -1. */
  protected member(p: number): number {
    if (p >= this.limit || this.buf[p] !== QUOTE) return this.fail(p);
    p = this.scanString(p);
    return p < 0 ? -1 : this.colon(p);
  }

  /** p after a member's key; the index of its value (whitespace skipped), or -1. */
  protected colon(p: number): number {
    const buf = this.buf;
    const end = this.limit;
    if (p < end && buf[p]! <= SPACE) p = this.ws(p);
    if (p >= end || buf[p] !== COLON) return this.fail(p);
    p++;
    return p < end && buf[p]! <= SPACE ? this.ws(p) : p;
  }

  /** p at a value (whitespace skipped); the index after it, or -1. Validates all of it. */
  protected scanValue(p: number): number {
    const buf = this.buf;
    const end = this.limit;
    let depth = 0;
    for (;;) {
      if (p >= end) return this.fail(p);
      const c = buf[p]!;
      if (c === QUOTE) p = this.scanString(p);
      else if (c === LBRACE || c === LBRACKET) {
        p++;
        if (p < end && buf[p]! <= SPACE) p = this.ws(p);
        if (p < end && buf[p] === c + 2) {
          p++; // {} or []: the closing byte is two above the opening one
        } else {
          if (depth === this.stack.length) {
            const deeper = new Uint8Array(depth * 2);
            deeper.set(this.stack);
            this.stack = deeper;
          }
          this.stack[depth++] = c;
          if (c === LBRACE && (p = this.member(p)) < 0) return -1;
          continue;
        }
      } else if (c === 0x74) p = this.literal(p, TRUE);
      else if (c === 0x66) p = this.literal(p, FALSE);
      else if (c === 0x6e) p = this.literal(p, NULL);
      else if (c === MINUS || (c >= ZERO && c <= NINE)) p = this.number(p);
      else return this.fail(p);
      if (p < 0) return -1;
      // after a value: close what ends here, or go on to the next element or member
      for (;;) {
        if (depth === 0) return p;
        if (p < end && buf[p]! <= SPACE) p = this.ws(p);
        if (p >= end) return this.fail(p);
        const open = this.stack[depth - 1]!;
        const next = buf[p]!;
        if (next === COMMA) {
          p++;
          if (p < end && buf[p]! <= SPACE) p = this.ws(p);
          if (open === LBRACE && (p = this.member(p)) < 0) return -1;
          break;
        }
        if (next !== open + 2) return this.fail(p);
        depth--;
        p++;
      }
    }
  }
}
