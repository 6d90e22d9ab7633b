import { createHmac } from "node:crypto";

// The app proxy's signature, as Shopify computes it: every query parameter but `signature`,
// repeated values joined with commas, each as `key=value`, sorted, concatenated with no separator,
// HMAC-SHA256 with the app's secret, hex.

export function proxyMessage(params: URLSearchParams): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (key === "signature") continue;
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  return [...grouped].map(([key, values]) => `${key}=${values.join(",")}`).sort().join("");
}

export function proxySignature(params: URLSearchParams, secret: string): string {
  return createHmac("sha256", secret).update(proxyMessage(params)).digest("hex");
}
