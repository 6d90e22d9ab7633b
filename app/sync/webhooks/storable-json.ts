// Webhook bodies are stored as jsonb, which refuses two things valid JSON may hold: the escape
// \u0000 (PostgreSQL 22P05: text cannot hold NUL) and a \uD800–\uDFFF escape that is not half of a
// surrogate pair. Shopify signs such bodies all the same (a customer's note pasted with a stray
// control character), so they are stored with each of those escapes replaced by \ufffd, the
// Unicode replacement character: every other byte of the body stays as signed, and the value stays
// a string of the same shape. Pure.

// Backslashes occur only inside strings, and each one starts exactly one escape: scanning escape
// by escape from the left never mistakes the `u0000` of `\\u0000` (a backslash, then text) for one.
const ESCAPE = /\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})|\\[^u]/g;

const REPLACEMENT = "\\ufffd";

/** The JSON text with every escape jsonb refuses replaced by \ufffd, and how many there were. */
export function storableJson(text: string): { text: string; replaced: number } {
  if (!text.includes("\\u")) return { text, replaced: 0 };
  let replaced = 0;
  const out = text.replace(
    ESCAPE,
    (escape, _high: string | undefined, _low: string | undefined, single: string | undefined) => {
      if (single === undefined) return escape; // a surrogate pair, or \n \" \\ …
      const code = Number.parseInt(single, 16);
      if (code !== 0 && (code < 0xd800 || code > 0xdfff)) return escape;
      replaced += 1;
      return REPLACEMENT;
    },
  );
  return { text: out, replaced };
}
