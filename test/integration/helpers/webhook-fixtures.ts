// REST webhook payloads of the shape Shopify sends, reduced to what the tests vary.

export function customerPayload(id: number, updatedAt: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Customer/${id}`,
    email: `c${id}@example.com`,
    phone: null,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: updatedAt,
    tags: "a, b",
    locale: "en",
    email_marketing_consent: {
      state: "subscribed",
      opt_in_level: "single_opt_in",
      consent_updated_at: "2026-01-01T00:00:00Z",
    },
    sms_marketing_consent: null,
    default_address: { country_code: "US", province_code: "NY" },
    ...extra,
  };
}

export interface OrderVersion {
  id: number;
  customerId: number | null;
  updatedAt: string;
  createdAt: string;
  cancelled: boolean;
  test: boolean;
  total: string;
  discount: string;
}

export function orderPayload(o: OrderVersion) {
  return {
    id: o.id,
    admin_graphql_api_id: `gid://shopify/Order/${o.id}`,
    created_at: o.createdAt,
    updated_at: o.updatedAt,
    cancelled_at: o.cancelled ? o.updatedAt : null,
    test: o.test,
    currency: "USD",
    current_total_price: o.total,
    current_total_price_set: {
      shop_money: { amount: o.total, currency_code: "USD" },
      presentment_money: { amount: o.total, currency_code: "EUR" },
    },
    total_discounts: o.discount,
    discount_codes: o.discount === "0.00" ? [] : [{ code: "BF" }],
    landing_site: "/?utm_source=mail",
    referring_site: null,
    customer:
      o.customerId === null
        ? null
        : { id: o.customerId, admin_graphql_api_id: `gid://shopify/Customer/${o.customerId}` },
  };
}
