import { z } from "zod";
import { ShopJson, type Parsed } from "../../campaigns/cli/inputs";
import { SHOP_DOMAIN } from "../../sync/pull/args";
import { parseFlowSettings, type FlowSettings } from "../settings";

// The flows command's small JSON files: the shop (plan's shop.json, and optionally its
// myshopifyDomain) and the flow settings (the app's FlowSettings). Pure: text in, a value or one
// message per bad field out ("abandoned_checkout.delays.first_message_wait: …").

export const FlowsShopJson = ShopJson.extend({
  // the ids the app gives segment changes (a win-back's trigger) are hashed with the shop's domain
  myshopifyDomain: z
    .string({ invalid_type_error: 'must be text like "example.myshopify.com"' })
    .regex(SHOP_DOMAIN, 'must be a shop domain like "example.myshopify.com"')
    .optional(),
});
export type FlowsShopJson = z.infer<typeof FlowsShopJson>;

function parseObject(
  text: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; errors: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, errors: ["(file): invalid JSON"] };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { ok: false, errors: ["(file): not a JSON object"] };
  return { ok: true, value: Object.fromEntries(Object.entries(value)) };
}

export function parseFlowsShopJson(text: string): Parsed<FlowsShopJson> {
  const json = parseObject(text);
  if (!json.ok) return json;
  const shop = FlowsShopJson.safeParse(json.value);
  if (shop.success) return { ok: true, value: shop.data };
  return { ok: false, errors: shop.error.issues.map((i) => `${i.path.join(".") || "(file)"}: ${i.message}`) };
}

/** A FlowSettings JSON: every flow and field optional, the defaults for the rest. */
export function parseFlowSettingsJson(text: string): Parsed<FlowSettings> {
  const json = parseObject(text);
  if (!json.ok) return json;
  const parsed = parseFlowSettings(json.value);
  if (parsed.ok) return { ok: true, value: parsed.settings };
  return { ok: false, errors: parsed.issues.map((i) => `${i.path || "(file)"}: ${i.message}`) };
}
