import { BACKSLASH, COMMA, HEX, isSpace, QUOTE, RBRACKET } from "./byte-scan";

// Turning byte ranges of an already validated line into strings, with JSON.parse's results: UTF-8
// decoded as Buffer#toString decodes it (U+FFFD for invalid sequences; a BOM kept), escapes as
// UTF-16 code units, so a lone surrogate stays one and a pair joins into one character.

let lastInput: Uint8Array | undefined;
let lastView: Buffer | undefined;

function bufferOf(buf: Uint8Array): Buffer {
  if (Buffer.isBuffer(buf)) return buf;
  // One view per read buffer, not per string.
  if (buf !== lastInput || !lastView) {
    lastInput = buf;
    lastView = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  return lastView;
}

/** The UTF-8 text of buf[from, to). */
export function utf8(buf: Uint8Array, from: number, to: number): string {
  // Short ASCII (codes, states, ids) is cheaper built here than through the native decoder.
  if (to - from <= 16) {
    let s = "";
    for (let i = from; i < to; i++) {
      const c = buf[i]!;
      if (c >= 0x80) return bufferOf(buf).toString("utf8", from, to);
      s += String.fromCharCode(c);
    }
    return s;
  }
  return bufferOf(buf).toString("utf8", from, to);
}

const SIMPLE: Record<number, string> = {
  0x22: '"',
  0x5c: "\\",
  0x2f: "/",
  0x62: "\b",
  0x66: "\f",
  0x6e: "\n",
  0x72: "\r",
  0x74: "\t",
};

/** The value of a valid string's content buf[from, to) (quotes excluded). */
export function jsonString(buf: Uint8Array, from: number, to: number, escaped: boolean): string {
  if (!escaped) return utf8(buf, from, to);
  let out = "";
  let run = from;
  let i = from;
  while (i < to) {
    if (buf[i] !== BACKSLASH) {
      i++;
      continue;
    }
    if (i > run) out += utf8(buf, run, i);
    const e = buf[i + 1]!;
    if (e === 0x75) {
      out += String.fromCharCode(
        (HEX[buf[i + 2]!]! << 12) | (HEX[buf[i + 3]!]! << 8) | (HEX[buf[i + 4]!]! << 4) | HEX[buf[i + 5]!]!,
      );
      i += 6;
    } else {
      out += SIMPLE[e] ?? "";
      i += 2;
    }
    run = i;
  }
  return run < to ? out + utf8(buf, run, to) : out;
}

/** The index after the closing quote of a valid string whose opening quote is at p. */
function stringEnd(buf: Uint8Array, p: number): number {
  p++;
  for (;;) {
    const c = buf[p]!;
    if (c === QUOTE) return p + 1;
    p += c === BACKSLASH ? 2 : 1;
  }
}

/** The elements of a valid array at buf[from, to) when all are strings; undefined otherwise. */
export function stringArray(buf: Uint8Array, from: number, to: number): string[] | undefined {
  const out: string[] = [];
  let p = from + 1;
  while (p < to && isSpace(buf[p]!)) p++;
  if (buf[p] === RBRACKET) return out;
  for (;;) {
    if (buf[p] !== QUOTE) return undefined;
    const close = stringEnd(buf, p);
    let escaped = false;
    for (let i = p + 1; i < close - 1; i++) if (buf[i] === BACKSLASH) escaped = true;
    out.push(jsonString(buf, p + 1, close - 1, escaped));
    p = close;
    while (p < to && isSpace(buf[p]!)) p++;
    if (buf[p] !== COMMA) return out; // the closing bracket: the line is valid
    p++;
    while (p < to && isSpace(buf[p]!)) p++;
  }
}
