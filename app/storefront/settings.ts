import { z } from "zod";

// A shop's storefront settings (ShopSettings.storefrontSettings). Double opt-in for email is on by
// default: a storefront form can be filled in with anybody's address, a confirmation link cannot.
// Texts have no double opt-in here (the shopper's own number, confirmed by the first text's STOP).

export const StorefrontSettings = z
  .object({ doubleOptInEmail: z.boolean().default(true) })
  .strict('Storefront settings take only "doubleOptInEmail"');
export type StorefrontSettings = z.infer<typeof StorefrontSettings>;

export const DEFAULT_STOREFRONT_SETTINGS: StorefrontSettings = Object.freeze({ doubleOptInEmail: true });

/** Stored JSON read again: anything that no longer parses falls back to the defaults. */
export function readStorefrontSettings(stored: unknown): StorefrontSettings {
  const parsed = StorefrontSettings.safeParse(stored ?? {});
  return parsed.success ? parsed.data : { ...DEFAULT_STOREFRONT_SETTINGS };
}
