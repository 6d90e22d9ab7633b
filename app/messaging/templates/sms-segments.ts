// How many SMS parts a text costs: the carriers bill per part, and the preview shows the count. Pure.

export type SmsEncoding = "GSM-7" | "UCS-2";

export interface SmsCount {
  encoding: SmsEncoding;
  /** septets for GSM-7 (an extension-table character costs 2), UTF-16 code units for UCS-2 */
  characters: number;
  /** 0 for an empty text */
  segments: number;
}

export const SMS_LIMITS = {
  "GSM-7": { single: 160, perPart: 153 },
  "UCS-2": { single: 70, perPart: 67 },
} as const satisfies Record<SmsEncoding, { single: number; perPart: number }>;

// 3GPP TS 23.038 §6.2.1, the GSM 7-bit default alphabet in code order (0x1B, the escape to the
// extension table, has no character of its own).
export const GSM7_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
// §6.2.1.1, the default extension table: each is sent as ESC + code, two septets.
export const GSM7_EXTENSION = "\f^{}\\[~]|€";

const basic = new Set([...GSM7_BASIC].filter((c) => c !== "\u001b"));
const extension = new Set(GSM7_EXTENSION);

/** Septets a character costs in GSM-7, or null when the default alphabet cannot carry it. */
export function gsm7Septets(char: string): 1 | 2 | null {
  if (basic.has(char)) return 1;
  if (extension.has(char)) return 2;
  return null;
}

/** Whether the whole text fits the GSM-7 default alphabet (basic + extension tables). */
export function isGsm7(text: string): boolean {
  for (const char of text) if (gsm7Septets(char) === null) return false;
  return true;
}

/**
 * Encoding, size and part count of an SMS body. A concatenated message never splits an escape
 * sequence or a surrogate pair between two parts (they would not decode), so a part may carry one
 * unit less than its limit. National language shift tables are not used.
 */
export function smsSegments(text: string): SmsCount {
  const encoding: SmsEncoding = isGsm7(text) ? "GSM-7" : "UCS-2";
  // Units of each code point: a surrogate pair is one code point of 2 UTF-16 units.
  const units: number[] = [];
  for (const char of text) units.push(encoding === "GSM-7" ? (gsm7Septets(char) ?? 1) : char.length);
  const characters = units.reduce((sum, u) => sum + u, 0);
  const limits = SMS_LIMITS[encoding];
  if (characters === 0) return { encoding, characters, segments: 0 };
  if (characters <= limits.single) return { encoding, characters, segments: 1 };
  let segments = 1;
  let used = 0;
  for (const u of units) {
    if (used + u > limits.perPart) {
      segments += 1;
      used = 0;
    }
    used += u;
  }
  return { encoding, characters, segments };
}
