import {
  ByteScanner,
  ByteText,
  COMMA,
  KIND,
  KIND_BY_FIRST_BYTE,
  LBRACE,
  QUOTE,
  RBRACE,
  SPACE,
  type Kind,
} from "./byte-scan";
import { jsonString, stringArray, utf8 } from "./byte-strings";
import type { FieldSpec, SpecNode } from "./field-spec";

// Reads chosen fields of a JSONL line straight from the read buffer, for lines of any shape: keys in
// any order, escapes, whitespace, duplicate keys (the last wins), unknown fields (skipped but
// validated). A line is accepted exactly when JSON.parse accepts its UTF-8 text, and each wanted
// value is what reading the JSON.parse result would give, descending through objects only. Keys are
// matched by comparing bytes, so only wanted values ever become strings, and only when asked for.
// Pure: one FieldReader per thread, reused for every line.

export { ByteText, KIND, type Kind };
export { compileFields, FieldSpec } from "./field-spec";

/** What a line is: an object (its fields are read), another JSON value, or not JSON. */
export const LINE = { OBJECT: 0, NOT_OBJECT: 1, INVALID: 2 } as const;
export type LineStatus = (typeof LINE)[keyof typeof LINE];

export class FieldReader extends ByteScanner {
  /** Per slot: the value's kind, ABSENT when the line lacks it. */
  readonly kind: Uint8Array;
  /** Per slot: the value's bytes buf[from, to); a string's without its quotes, a number's exact text. */
  readonly from: Int32Array;
  readonly to: Int32Array;
  /** Per slot: 1 when a string value has backslash escapes (its bytes are not its text). */
  readonly escapes: Uint8Array;
  /** After INVALID: the offset from the line's start of the first byte that is not JSON. */
  errorAt = -1;

  constructor(readonly spec: FieldSpec) {
    super();
    this.kind = new Uint8Array(spec.size);
    this.from = new Int32Array(spec.size);
    this.to = new Int32Array(spec.size);
    this.escapes = new Uint8Array(spec.size);
  }

  /** The buffer of the last line read: the from/to ranges index it. */
  get bytes(): Uint8Array {
    return this.buf;
  }

  /**
   * Reads buf[start, end), one line without its "\n" (a "\r" before it is whitespace). The slots
   * hold the line's values after LINE.OBJECT, and are meaningless after anything else.
   */
  read(buf: Uint8Array, start: number, end: number): LineStatus {
    if (start < 0 || end > buf.length || start > end)
      throw new RangeError(`line [${start}, ${end}) outside the buffer`);
    this.begin(buf, end);
    this.errorAt = -1;
    const kind = this.kind;
    for (let i = 0; i < kind.length; i++) kind[i] = KIND.ABSENT;
    let p = this.ws(start);
    let status: LineStatus = LINE.OBJECT;
    if (p < end && buf[p] === LBRACE) {
      p = this.object(p, this.spec.root);
    } else {
      status = LINE.NOT_OBJECT;
      p = this.scanValue(p);
    }
    if (p >= 0 && this.ws(p) !== end) this.fail(this.ws(p));
    if (this.failAt >= 0) {
      this.errorAt = this.failAt - start;
      return LINE.INVALID;
    }
    return status;
  }

  // p at "{"; the index after its "}", or -1. Wanted members are recorded, the rest only validated.
  private object(p: number, node: SpecNode): number {
    const buf = this.buf;
    const end = this.limit;
    p++;
    if (p < end && buf[p]! <= SPACE) p = this.ws(p);
    if (p < end && buf[p] === RBRACE) return p + 1;
    for (;;) {
      if (p >= end || buf[p] !== QUOTE) return this.fail(p);
      const keyFrom = p + 1;
      p = this.scanString(p);
      if (p < 0) return -1;
      const at = this.match(node, keyFrom, p - 1);
      p = this.colon(p);
      if (p < 0) return -1;
      if (at < 0) {
        // strings inline: most values are, and the call would cost more than the scan
        p = this.quickValue(p, p < end ? buf[p]! : 0);
        if (p < 0) return -1;
      } else {
        const child = node.children[at]!;
        const below = child.below;
        for (let i = 0; i < below.length; i++) this.kind[below[i]!] = KIND.ABSENT;
        const valueFrom = p;
        const first = p < end ? buf[p]! : 0;
        p = first === LBRACE && below.length > 0 ? this.object(p, child) : this.quickValue(p, first);
        if (p < 0) return -1;
        const slot = child.slot;
        if (slot >= 0) {
          const kind = KIND_BY_FIRST_BYTE[first]!;
          this.kind[slot] = kind;
          if (kind === KIND.STRING) {
            this.from[slot] = valueFrom + 1;
            this.to[slot] = p - 1;
            this.escapes[slot] = this.escaped ? 1 : 0;
          } else {
            this.from[slot] = valueFrom;
            this.to[slot] = p;
          }
        }
      }
      if (p < end && buf[p]! <= SPACE) p = this.ws(p);
      if (p >= end) return this.fail(p);
      const c = buf[p]!;
      if (c === RBRACE) return p + 1;
      if (c !== COMMA) return this.fail(p);
      p++;
      if (p < end && buf[p]! <= SPACE) p = this.ws(p);
    }
  }

  // The child of node whose key is the string content buf[from, to), or -1. this.escaped is that key's.
  private match(node: SpecNode, from: number, to: number): number {
    if (this.escaped || !node.ascii) return node.keys.indexOf(jsonString(this.buf, from, to, this.escaped));
    const length = to - from;
    if (length >= node.firstOfLength.length) return -1;
    for (let i = node.firstOfLength[length]!; i >= 0; i = node.nextOfLength[i]!)
      if (this.holds(from, node.keyBytes[i]!)) return i;
    return -1;
  }

  /** A string slot's text; undefined for any other kind. */
  string(slot: number): string | undefined {
    if (this.kind[slot] !== KIND.STRING) return undefined;
    return jsonString(this.buf, this.from[slot]!, this.to[slot]!, this.escapes[slot] === 1);
  }

  /** A number slot's exact source text (money stays decimal); undefined for any other kind. */
  numberText(slot: number): string | undefined {
    return this.kind[slot] === KIND.NUMBER ? utf8(this.buf, this.from[slot]!, this.to[slot]!) : undefined;
  }

  /** An array slot's elements when all are strings; undefined for any other kind or element. */
  strings(slot: number): string[] | undefined {
    return this.kind[slot] === KIND.ARRAY
      ? stringArray(this.buf, this.from[slot]!, this.to[slot]!)
      : undefined;
  }

  /** Whether a string slot's text is exactly `expected`. */
  stringEquals(slot: number, expected: ByteText): boolean {
    if (this.kind[slot] !== KIND.STRING) return false;
    const from = this.from[slot]!;
    const to = this.to[slot]!;
    if (this.escapes[slot] === 1) return jsonString(this.buf, from, to, true) === expected.text;
    return to - from === expected.bytes.length && this.holds(from, expected);
  }

  /**
   * The number after `prefix` (ASCII, e.g. "gid://shopify/Order/") when a string slot is that prefix
   * and 1–16 decimal digits within Number.MAX_SAFE_INTEGER; -1 otherwise (longer ids: use string()).
   */
  idAfter(slot: number, prefix: ByteText): number {
    if (this.kind[slot] !== KIND.STRING) return -1;
    if (this.escapes[slot] === 1) {
      const text = jsonString(this.buf, this.from[slot]!, this.to[slot]!, true);
      return text.startsWith(prefix.text) ? digits(text, prefix.text.length) : -1;
    }
    const buf = this.buf;
    const from = this.from[slot]!;
    const to = this.to[slot]!;
    const length = to - from - prefix.bytes.length;
    if (length < 1 || length > 16 || !this.holds(from, prefix)) return -1;
    let n = 0;
    for (let i = from + prefix.bytes.length; i < to; i++) {
      const d = buf[i]! - 0x30;
      if (d < 0 || d > 9) return -1;
      n = n * 10 + d;
    }
    return n <= Number.MAX_SAFE_INTEGER ? n : -1;
  }
}

function digits(text: string, from: number): number {
  const length = text.length - from;
  if (length < 1 || length > 16) return -1;
  let n = 0;
  for (let i = from; i < text.length; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n <= Number.MAX_SAFE_INTEGER ? n : -1;
}

/** A text compiled for stringEquals and idAfter. */
export const ascii = (text: string): ByteText => new ByteText(text);
