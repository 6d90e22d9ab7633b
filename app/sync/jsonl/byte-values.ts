// Values read from bytes the way the string readers read them, for the common forms only: anything
// else gives NaN or -1 and the caller lets the string reader decide. Pure.

const ZERO = 0x30;
const digit = (c: number): number => (c >= ZERO && c <= ZERO + 9 ? c - ZERO : -1);

function two(buf: Uint8Array, p: number): number {
  const a = digit(buf[p]!);
  const b = digit(buf[p + 1]!);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

/** Days from 1970-01-01 to y-m-1 (proleptic Gregorian), for any month 1–12. */
function daysToMonth(y: number, m: number): number {
  const year = m <= 2 ? y - 1 : y;
  const era = Math.floor(year / 400);
  const yoe = year - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5);
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

/**
 * `new Date(text).getTime()` for text = buf[from, to) of the form YYYY-MM-DDTHH:MM:SS, an optional
 * fraction of 1–9 digits, then Z or ±HH:MM (what Shopify writes); NaN for any other form, which
 * may still be a date to the string reader. A day past the month's end rolls over as V8's does.
 */
export function isoTimeMs(buf: Uint8Array, from: number, to: number): number {
  if (to - from < 20) return NaN;
  const p = from;
  const y1 = two(buf, p);
  const y2 = two(buf, p + 2);
  if (y1 < 0 || y2 < 0 || buf[p + 4] !== 0x2d || buf[p + 7] !== 0x2d || buf[p + 10] !== 0x54) return NaN;
  if (buf[p + 13] !== 0x3a || buf[p + 16] !== 0x3a) return NaN;
  const month = two(buf, p + 5);
  const day = two(buf, p + 8);
  const hour = two(buf, p + 11);
  const minute = two(buf, p + 14);
  const second = two(buf, p + 17);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23) return NaN;
  if (minute < 0 || minute > 59 || second < 0 || second > 59) return NaN;
  let q = p + 19;
  let ms = 0;
  if (buf[q] === 0x2e) {
    const first = ++q;
    // milliseconds are the first three digits; V8 drops the rest
    for (let d; q < to && (d = digit(buf[q]!)) >= 0; q++) if (q - first < 3) ms = ms * 10 + d;
    const count = q - first;
    if (count < 1 || count > 9) return NaN;
    if (count < 3) ms *= count === 1 ? 100 : 10;
  }
  let offsetMinutes = 0;
  const zone = buf[q];
  if (zone === 0x5a) {
    q++;
  } else if (zone === 0x2b || zone === 0x2d) {
    const oh = two(buf, q + 1);
    const om = two(buf, q + 4);
    if (buf[q + 3] !== 0x3a || oh < 0 || oh > 23 || om < 0 || om > 59) return NaN;
    offsetMinutes = (zone === 0x2b ? 1 : -1) * (oh * 60 + om);
    q += 6;
  } else return NaN;
  if (q !== to) return NaN;
  const days = daysToMonth(y1 * 100 + y2, month) + day - 1;
  return ((days * 24 + hour) * 60 + minute - offsetMinutes) * 60_000 + second * 1000 + ms;
}

const POW10 = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];

/**
 * toMinorUnits(text, currency) for text = buf[from, to) with `exponent` decimals, as a number: digits,
 * an optional fraction whose significant digits fit the exponent, at most 15 digits in all so the
 * result is exact. -1 for anything else (a sign, more decimals, a longer amount): the string reader decides.
 */
export function minorUnits(buf: Uint8Array, from: number, to: number, exponent: number): number {
  let whole = 0;
  let p = from;
  for (let d; p < to && (d = digit(buf[p]!)) >= 0; p++) whole = whole * 10 + d;
  const wholeDigits = p - from;
  if (wholeDigits < 1 || wholeDigits + exponent > 15) return -1;
  let fraction = 0;
  let significant = 0;
  if (p < to) {
    if (buf[p] !== 0x2e) return -1;
    const first = ++p;
    let last = first; // one past the last nonzero digit
    for (let d; p < to && (d = digit(buf[p]!)) >= 0; p++) if (d !== 0) last = p + 1;
    if (p !== to || p === first) return -1;
    significant = last - first;
    if (significant > exponent) return -1;
    for (let i = first; i < last; i++) fraction = fraction * 10 + (buf[i]! - ZERO);
  }
  return whole * POW10[exponent]! + fraction * POW10[exponent - significant]!;
}

/** The id of `prefix` + digits at buf[from, to) (1–15 digits, so always exact); -1 otherwise. */
export function idWithPrefix(buf: Uint8Array, from: number, to: number, prefix: Uint8Array): number {
  const n = prefix.length;
  const length = to - from - n;
  if (length < 1 || length > 15) return -1;
  for (let i = 0; i < n; i++) if (buf[from + i] !== prefix[i]) return -1;
  let id = 0;
  for (let i = from + n; i < to; i++) {
    const d = digit(buf[i]!);
    if (d < 0) return -1;
    id = id * 10 + d;
  }
  return id;
}
