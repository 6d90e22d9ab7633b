// The control group of a campaign (issue 5): customers who receive nothing, so lift can be measured.
// Pure and the same in Node and the browser: no crypto module, no randomness.

/** cyrb53 (bryc, public domain): a 53-bit string hash with good avalanche, so sequential ids spread evenly. */
function cyrb53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** "gid://shopify/Customer/123" and "123" are the same customer and must land in the same group. */
function customerKey(customerId: string): string {
  const gid = /^gid:\/\/shopify\/Customer\/(\d+)$/.exec(customerId.trim());
  return gid?.[1] ?? customerId.trim();
}

/**
 * Where (campaign, customer) falls in [0, 1), uniformly and deterministically. The version tag and
 * the length prefix are part of the contract: changing either reshuffles every control group.
 */
export function holdoutPosition(campaignKey: string, customerId: string): number {
  return cyrb53(`holdout-v1|${campaignKey.length}|${campaignKey}|${customerKey(customerId)}`) / 2 ** 53;
}

/** True for the `share` (0 to 1) of customers a campaign holds out; independent between campaigns. */
export function isHoldout(campaignKey: string, customerId: string, share: number): boolean {
  return holdoutPosition(campaignKey, customerId) < share;
}

/**
 * The share to pass as `holdoutShare` so that exactly round(share × n) of these customers are held
 * out (their positions are distinct): the hash alone drifts by several points on a small segment.
 * Deterministic for the same customers; adding one customer moves at most one in or out.
 */
export function holdoutCutoff(campaignKey: string, customerIds: Iterable<string>, share: number): number {
  const positions = Float64Array.from(customerIds, (id) => holdoutPosition(campaignKey, id)).sort();
  const k = Math.round(share * positions.length);
  if (k <= 0) return 0;
  if (k >= positions.length) return 1;
  // Halfway between the last held-out position and the first one not held out.
  return ((positions[k - 1] ?? 0) + (positions[k] ?? 1)) / 2;
}
