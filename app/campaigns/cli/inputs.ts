import { z } from "zod";
import { isValidTimeZone, parseAudienceSettings, type AudienceSettings } from "../audience";
import { ShippingCutoffs } from "../calendar/shipping";

// The two small JSON files of `plan`: the shop and the audience settings. Pure: text in, a value or
// one message per bad field out ("ianaTimezone: missing").

export const ShopJson = z.object({
  ianaTimezone: z
    .string({ required_error: "missing", invalid_type_error: 'must be text like "America/New_York"' })
    .refine((zone) => isValidTimeZone(zone), {
      message: 'not a known IANA time zone (like "America/New_York")',
    }),
  currencyCode: z
    .string({ required_error: "missing", invalid_type_error: 'must be text like "USD"' })
    .regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO 4217 code like "USD"'),
  // null: the shop has no country; the calendar then has no public holidays (a note says so)
  countryCode: z
    .string({
      required_error: 'missing (a two-letter code like "US", or null)',
      invalid_type_error: 'must be a two-letter code like "US", or null',
    })
    .regex(/^[A-Z]{2}$/, 'must be a two-letter code like "US", or null')
    .nullable(),
});
export type ShopJson = z.infer<typeof ShopJson>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: string[] };

function parseJson(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { error: "(file): invalid JSON" };
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export function parseShopJson(text: string): Parsed<ShopJson> {
  const json = parseJson(text);
  if ("error" in json) return { ok: false, errors: [json.error] };
  if (!isObject(json.value)) return { ok: false, errors: ["(file): not a JSON object"] };
  const shop = ShopJson.safeParse(json.value);
  if (shop.success) return { ok: true, value: shop.data };
  return { ok: false, errors: shop.error.issues.map((i) => `${i.path.join(".") || "(file)"}: ${i.message}`) };
}

export interface SettingsFile {
  settings: AudienceSettings;
  /** the shop's Christmas shipping cut-offs (the file's optional "shipping"; else the defaults) */
  shipping: ShippingCutoffs;
  /** the file set holdoutShare: it replaces each campaign's own share */
  holdoutShareGiven: boolean;
}

export function parseSettingsJson(text: string): Parsed<SettingsFile> {
  const json = parseJson(text);
  if ("error" in json) return { ok: false, errors: [json.error] };
  if (!isObject(json.value)) return { ok: false, errors: ["(file): not a JSON object"] };
  // The same settings as the app's Settings page: the audience rules, and the shipping cut-offs.
  const { shipping: shippingInput, ...audience } = json.value;
  const parsed = parseAudienceSettings(audience);
  const shipping = ShippingCutoffs.safeParse(shippingInput ?? {});
  const errors = [
    ...(parsed.ok ? [] : parsed.errors),
    ...(shipping.success ? [] : shipping.error.issues.map((i) => ["shipping", ...i.path].join(".") + `: ${i.message}`)),
  ];
  if (!parsed.ok || !shipping.success) return { ok: false, errors };
  return {
    ok: true,
    value: {
      settings: parsed.settings,
      shipping: shipping.data,
      holdoutShareGiven: Object.hasOwn(json.value, "holdoutShare"),
    },
  };
}
