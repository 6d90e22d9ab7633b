import type { BulkOperation } from "./bulk/operations";
import type { CheckoutRecord, CustomerRecord, ProductRecord } from "./generator/types";
import { num, restAddress, restCustomer, restPrice } from "./order-payload";

// Webhook bodies in Shopify's REST shape (snake_case, numeric ids), derived from the records.
// orders/* bodies are built in order-payload.ts.

export { orderPayload } from "./order-payload";

function consent(c: { marketingState: string; marketingOptInLevel: string | null; consentUpdatedAt: string | null } | null) {
  return c ? { state: c.marketingState.toLowerCase(), opt_in_level: c.marketingOptInLevel?.toLowerCase() ?? null, consent_updated_at: c.consentUpdatedAt } : null;
}

export function customerPayload(c: CustomerRecord): Record<string, unknown> {
  const a = c.defaultAddress;
  const address = a
    ? {
        id: num(a.id),
        customer_id: num(c.id),
        first_name: a.firstName,
        last_name: a.lastName,
        address1: a.address1,
        city: a.city,
        province: a.province,
        country: a.country,
        zip: a.zip,
        phone: a.phone,
        name: a.name,
        province_code: a.provinceCode,
        country_code: a.countryCodeV2,
        country_name: a.country,
        default: true,
      }
    : null;
  return {
    id: num(c.id),
    email: c.email,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    first_name: c.firstName,
    last_name: c.lastName,
    state: c.state.toLowerCase(),
    note: c.note,
    verified_email: c.verifiedEmail,
    multipass_identifier: null,
    tax_exempt: false,
    phone: c.phone,
    currency: c.amountSpent.currencyCode,
    tags: c.tags.join(", "),
    addresses: address ? [address] : [],
    default_address: address,
    email_marketing_consent: consent(c.emailMarketingConsent),
    sms_marketing_consent: c.smsMarketingConsent
      ? { ...consent(c.smsMarketingConsent), consent_collected_from: c.smsMarketingConsent.consentCollectedFrom }
      : null,
    admin_graphql_api_id: c.id,
  };
}

/** products/create and products/update: the product with its variants (stock included). */
export function productPayload(p: ProductRecord): Record<string, unknown> {
  const image = p._imageUrl
    ? { id: num(p.id), admin_graphql_api_id: `gid://shopify/ProductImage/${num(p.id)}`, product_id: num(p.id), position: 1, alt: null, width: 1024, height: 1024, src: p._imageUrl, variant_ids: [], created_at: p.createdAt, updated_at: p.updatedAt }
    : null;
  return {
    admin_graphql_api_id: p.id,
    id: num(p.id),
    title: p.title,
    body_html: "",
    vendor: p.vendor,
    product_type: p.productType,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    published_at: p.publishedAt,
    handle: p.handle,
    template_suffix: null,
    published_scope: "web",
    status: p.status.toLowerCase(),
    tags: p.tags.join(", "),
    variants: p.variants.map((v) => ({
      admin_graphql_api_id: v.id,
      id: num(v.id),
      product_id: num(p.id),
      title: v.title,
      price: restPrice(v._priceMinor),
      sku: v.sku,
      position: v.position,
      inventory_policy: "deny",
      compare_at_price: null,
      option1: v.title,
      option2: null,
      option3: null,
      created_at: v.createdAt,
      updated_at: v.updatedAt,
      taxable: true,
      barcode: null,
      image_id: null,
      inventory_item_id: null,
      inventory_management: p.tracksInventory ? "shopify" : null,
      inventory_quantity: v.inventoryQuantity,
      old_inventory_quantity: v.inventoryQuantity,
    })),
    options: [],
    images: image ? [image] : [],
    image,
    media: [],
    variant_gids: p.variants.map((v) => ({ admin_graphql_api_id: v.id, updated_at: v.updatedAt })),
    has_variants_that_requires_components: false,
    category: null,
  };
}

/**
 * checkouts/create and checkouts/update: the checkout with its cart, the buyer's contact and the
 * recovery URL. A guest's checkout has no customer.
 */
export function checkoutPayload(k: CheckoutRecord, customer: CustomerRecord | null): Record<string, unknown> {
  const currency = k.totalPriceSet.shopMoney.currencyCode;
  const a = customer?.defaultAddress ?? null;
  const address = a ? restAddress(a, customer?.phone ?? null) : null;
  const customerBody = customer ? restCustomer(customer, currency) : null;
  return {
    id: num(k.id),
    token: k._token,
    cart_token: k._token.slice(0, 32),
    email: k._email,
    phone: k._phone,
    gateway: null,
    buyer_accepts_marketing: customer?.emailMarketingConsent?.marketingState === "SUBSCRIBED",
    buyer_accepts_sms_marketing: customer?.smsMarketingConsent?.marketingState === "SUBSCRIBED",
    sms_marketing_phone: null,
    created_at: k.createdAt,
    updated_at: k.updatedAt,
    completed_at: k.completedAt,
    closed_at: null,
    landing_site: null,
    referring_site: null,
    note: null,
    note_attributes: [],
    shipping_lines: [],
    taxes_included: false,
    tax_lines: [],
    total_weight: 0,
    currency,
    presentment_currency: currency,
    user_id: null,
    location_id: null,
    source: null,
    source_identifier: null,
    source_name: "web",
    source_url: null,
    device_id: null,
    customer_locale: customer?.locale ?? null,
    reservation_token: null,
    name: k.name,
    abandoned_checkout_url: k.abandonedCheckoutUrl,
    discount_codes: [],
    total_discounts: "0.00",
    total_duties: null,
    total_line_items_price: restPrice(k._totalMinor),
    subtotal_price: restPrice(k._totalMinor),
    total_price: restPrice(k._totalMinor),
    total_tax: "0.00",
    line_items: k.lineItems.map((li) => ({
      key: `${k._token.slice(0, 24)}${String(num(li.id) % 100_000_000).padStart(8, "0")}`,
      product_id: li._productLegacyId,
      variant_id: li._variantLegacyId,
      title: li.title,
      presentment_title: li.title,
      variant_title: li.variantTitle ?? "",
      presentment_variant_title: li.variantTitle ?? "",
      sku: li.sku,
      vendor: "",
      quantity: li.quantity,
      price: restPrice(li._unitMinor),
      variant_price: restPrice(li._unitMinor),
      line_price: restPrice(li._unitMinor * li.quantity),
      compare_at_price: null,
      applied_discounts: [],
      discount_allocations: [],
      tax_lines: [],
      taxable: true,
      requires_shipping: true,
      gift_card: false,
      grams: 0,
      fulfillment_service: "manual",
      destination_location_id: null,
      origin_location_id: null,
      properties: null,
      rank: null,
      user_id: null,
      unit_price_measurement: { measured_type: null, quantity_value: null, quantity_unit: null, reference_value: null, reference_unit: null },
    })),
    billing_address: address,
    shipping_address: address,
    customer: customerBody,
  };
}

/** products/delete carries the numeric id only. */
export function productDeletePayload(p: Pick<ProductRecord, "id">): Record<string, unknown> {
  return { id: num(p.id) };
}

export function bulkFinishPayload(op: BulkOperation): Record<string, unknown> {
  return {
    admin_graphql_api_id: op.id,
    completed_at: op.completedAt,
    created_at: op.createdAt,
    error_code: op.errorCode?.toLowerCase() ?? null,
    status: op.status.toLowerCase(),
    type: op.type.toLowerCase(),
  };
}
