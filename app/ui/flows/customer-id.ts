// A customer id as the merchant types it into the timeline lookup. Pure.

/** "123" or "gid://shopify/Customer/123" (spaces around are ignored); null for anything else. */
export function customerIdOf(text: string): bigint | null {
  const m = /^(?:gid:\/\/shopify\/Customer\/)?(\d{1,19})$/.exec(text.trim());
  if (!m?.[1]) return null;
  const id = BigInt(m[1]);
  return id <= 9223372036854775807n ? id : null;
}
