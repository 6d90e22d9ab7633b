import type { Segment } from "../../segments/rules";
import type { TemplateCustomer, TemplateProduct, TemplateVariables } from "./variables";

// Fake, fixed data for previews and tests: a preview never shows a real customer. Pure.

/** One made-up customer per segment (example.com addresses are reserved, RFC 2606). */
export const SAMPLE_CUSTOMERS: Readonly<Record<Segment, Readonly<TemplateCustomer>>> = Object.freeze({
  vip: { firstName: "Avery", lastName: "Sample", email: "avery.sample@example.com", locale: "en-US" },
  price_sensitive: { firstName: "Jordan", lastName: "Sample", email: "jordan.sample@example.com", locale: "en-US" },
  lapsed: { firstName: "Morgan", lastName: "Sample", email: "morgan.sample@example.com", locale: "en-US" },
  recent: { firstName: "Riley", lastName: "Sample", email: "riley.sample@example.com", locale: "en-US" },
  regular: { firstName: "Casey", lastName: "Sample", email: "casey.sample@example.com", locale: "en-US" },
  // a prospect may be known by email alone: the preview shows the templates' fallbacks
  prospect: { email: "sam.sample@example.com" },
});

export const SAMPLE_PRODUCTS: readonly TemplateProduct[] = Object.freeze([
  { title: "Wool Scarf", url: "https://sample-store.example.com/products/wool-scarf", price: "39.00" },
  { title: "Ceramic Mug Set", url: "https://sample-store.example.com/products/ceramic-mug-set", price: "24.50" },
  { title: "Gift Card", url: "https://sample-store.example.com/products/gift-card", price: "50.00" },
]);

/** Everything but the customer: a preview replaces what the merchant's campaign already knows. */
export type SampleContext = Partial<Omit<TemplateVariables, "customer">>;

/** Where a preview's app links point (a real message's go to SHOPIFY_APP_URL). */
export const PREVIEW_APP_URL = "https://app.example.com";
/** The unsubscribe link a preview shows (a real message has its own signed one). */
export const PREVIEW_UNSUBSCRIBE_URL = `${PREVIEW_APP_URL}/unsubscribe/preview`;

/**
 * Variables for previewing a segment's template. Only price-sensitive customers get a discount and
 * only lapsed ones a delivery promise, as in the playbooks; the unsubscribe link points nowhere real.
 */
export function sampleVariables(segment: Segment, context: SampleContext = {}): TemplateVariables {
  return {
    customer: { ...SAMPLE_CUSTOMERS[segment] },
    shop: { name: "Sample Store", domain: "sample-store.example.com", currencyCode: "USD" },
    event: { name: "Cyber Week", date: "2026-11-30" },
    deadline: "2026-12-02T23:59",
    delivery:
      segment === "lapsed"
        ? { orderBy: "2026-12-15T23:59", shipping: "standard", occasion: "Christmas", date: "2026-12-25" }
        : null,
    discount: segment === "price_sensitive" ? { code: "CYBER20", percent: 20 } : null,
    products: SAMPLE_PRODUCTS.map((p) => ({ ...p })),
    unsubscribeUrl: PREVIEW_UNSUBSCRIBE_URL,
    ...context,
  };
}
