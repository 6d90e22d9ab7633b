import { z } from "zod";
import { isValidTimeZone, parseAudienceSettings, type AudienceSettings } from "../audience";
import { isKnownRegion, unknownRegionMessage } from "../../messaging/rules/regions";
import { ShippingCutoffs } from "../calendar/shipping";

// The two small JSON files of `plan`: the shop and the audience settings. Pure: text in, a value or
// one message per bad field out ("ianaTimezone: missing"). The settings get the checks of the
// Settings page: regions must be ISO 3166-2 subdivisions, and whole numbers (caps, days before
// Christmas) must be written as digits — JSON reads 1e1 as 10 and 1.0 as 1, so the number's text is
// checked, not its value.

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

type NumberTexts = WeakMap<object, Map<string, string>>;

/** JSON.parse that also keeps how each number was written (holder object → key → text). */
function parseJson(text: string, numbers?: NumberTexts): { value: unknown } | { error: string } {
  try {
    return {
      value: JSON.parse(
        text,
        function (this: unknown, key: string, value: unknown, context?: { source?: string }) {
          if (
            numbers &&
            typeof value === "number" &&
            typeof this === "object" &&
            this !== null &&
            context?.source !== undefined
          ) {
            const texts = numbers.get(this) ?? new Map<string, string>();
            numbers.set(this, texts.set(key, context.source));
          }
          return value;
        },
      ),
    };
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

/** The paths of the settings' whole numbers whose text is not an integer's: "caps.sms: … (got 1e1)". */
function numberTextIssues(settings: Record<string, unknown>, numbers: NumberTexts): string[] {
  const issues: string[] = [];
  const check = (holder: unknown, key: string, path: string, what: string) => {
    if (!isObject(holder) || typeof holder[key] !== "number") return;
    const written = numbers.get(holder)?.get(key) ?? "";
    if (!/^-?(0|[1-9]\d*)$/.test(written))
      issues.push(`${path}: ${what} must be a whole number written as digits (got ${written})`);
  };
  const caps = settings.caps;
  for (const channel of ["email", "sms", "webhook"])
    check(caps, channel, `caps.${channel}`, "a cap in hours");
  const shipping = settings.shipping;
  for (const speed of ["standard", "express"]) {
    const cutoff = isObject(shipping) ? shipping[speed] : undefined;
    check(cutoff, "daysBeforeChristmas", `shipping.${speed}.daysBeforeChristmas`, "days before Christmas");
  }
  return issues;
}

export function parseSettingsJson(text: string): Parsed<SettingsFile> {
  const numbers: NumberTexts = new WeakMap();
  const json = parseJson(text, numbers);
  if ("error" in json) return { ok: false, errors: [json.error] };
  if (!isObject(json.value)) return { ok: false, errors: ["(file): not a JSON object"] };
  // The same settings as the app's Settings page: the audience rules, and the shipping cut-offs.
  const { shipping: shippingInput, ...audience } = json.value;
  const parsed = parseAudienceSettings(audience);
  const shipping = ShippingCutoffs.safeParse(shippingInput ?? {});
  const texts = numberTextIssues(json.value, numbers);
  const regions = Object.keys(parsed.ok ? parsed.settings.stateQuietHours : {})
    .filter((key) => !isKnownRegion(key))
    .map((key) => `stateQuietHours.${key}: ${unknownRegionMessage(key)}`);
  const errors = [
    ...texts,
    ...(parsed.ok ? [] : parsed.errors),
    ...(shipping.success
      ? []
      : shipping.error.issues.map((i) => ["shipping", ...i.path].join(".") + `: ${i.message}`)),
    ...regions,
  ];
  if (!parsed.ok || !shipping.success || errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      settings: parsed.settings,
      shipping: shipping.data,
      holdoutShareGiven: Object.hasOwn(json.value, "holdoutShare"),
    },
  };
}
