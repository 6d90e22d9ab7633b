import { parseMinor } from "./generator/money";
import type { AddressRecord, CustomerRecord, MoneyBag, OrderRecord } from "./generator/types";

// orders/create, orders/updated and orders/cancelled bodies in Shopify's REST shape (every key the
// documented schema requires), derived from the order record. What the emulator does not model is
// empty, as for an order without it: no shipping lines, taxes, fulfilment objects, refund objects.

export const num = (gid: string): number => Number(gid.slice(gid.lastIndexOf("/") + 1).split("?")[0]);

/** REST prices always have two decimals ("19.90"). */
export const restPrice = (minor: number): string =>
  `${minor < 0 ? "-" : ""}${Math.floor(Math.abs(minor) / 100)}.${String(Math.abs(minor) % 100).padStart(2, "0")}`;

/** An address as REST payloads carry it (billing, shipping; a customer's adds its ids). */
export function restAddress(a: AddressRecord, phone: string | null) {
  return {
    first_name: a.firstName,
    last_name: a.lastName,
    name: a.name,
    address1: a.address1,
    address2: null,
    city: a.city,
    company: null,
    province: a.province,
    province_code: a.provinceCode,
    country: a.country,
    country_code: a.countryCodeV2,
    zip: a.zip,
    phone: a.phone ?? phone ?? "",
    latitude: null,
    longitude: null,
  };
}

/** The customer as an order's or a checkout's payload embeds them. */
export function restCustomer(customer: CustomerRecord, currency: string) {
  const a = customer.defaultAddress;
  return {
    id: num(customer.id),
    admin_graphql_api_id: customer.id,
    email: customer.email,
    phone: customer.phone,
    first_name: customer.firstName,
    last_name: customer.lastName,
    created_at: customer.createdAt,
    updated_at: customer.updatedAt,
    state: customer.state.toLowerCase(),
    note: customer.note,
    verified_email: customer.verifiedEmail,
    multipass_identifier: null,
    tax_exempt: false,
    tax_exemptions: [],
    currency,
    default_address: a
      ? {
          id: num(a.id),
          customer_id: num(customer.id),
          ...restAddress(a, customer.phone),
          country_name: a.country,
          default: true,
        }
      : null,
  };
}

const minorOf = (bag: MoneyBag): number => parseMinor(bag.shopMoney.amount);

export function orderPayload(o: OrderRecord, customer: CustomerRecord | null): Record<string, unknown> {
  const c = o.currencyCode;
  const set = (minor: number) => ({
    shop_money: { amount: restPrice(minor), currency_code: c },
    presentment_money: { amount: restPrice(minor), currency_code: c },
  });
  const total = minorOf(o.totalPriceSet);
  const current = minorOf(o.currentTotalPriceSet);
  const discount = minorOf(o.totalDiscountsSet);
  const currentDiscount = minorOf(o.currentTotalDiscountsSet);
  const tax = minorOf(o.currentTotalTaxSet);
  const fulfilled = o.displayFulfillmentStatus === "FULFILLED";
  const status = new URL(o.statusPageUrl);
  const [, shopId = "", , token = ""] = status.pathname.split("/");
  const address = customer?.defaultAddress ? restAddress(customer.defaultAddress, customer.phone) : null;
  const number = Number(o.name.slice(1)) - 1000;
  // the share of the subtotal a code took off, as a percentage code states it
  const percent = discount > 0 ? Math.round((discount * 100) / (total + discount)) : 0;
  return {
    id: num(o.id),
    admin_graphql_api_id: o.id,
    app_id: null,
    browser_ip: null,
    buyer_accepts_marketing: customer?.emailMarketingConsent?.marketingState === "SUBSCRIBED",
    cancel_reason: o.cancelReason?.toLowerCase() ?? null,
    cancelled_at: o.cancelledAt,
    cart_token: null,
    checkout_token: null,
    client_details: null,
    closed_at: o.closed ? o.updatedAt : null,
    confirmation_number: token.slice(0, 9).toUpperCase(),
    confirmed: o.confirmed,
    contact_email: o.email,
    created_at: o.createdAt,
    currency: c,
    current_shipping_price_set: set(0),
    current_subtotal_price: restPrice(current),
    current_subtotal_price_set: set(current),
    current_total_additional_fees_set: null,
    current_total_discounts: restPrice(currentDiscount),
    current_total_discounts_set: set(currentDiscount),
    current_total_duties_set: null,
    current_total_price: restPrice(current),
    current_total_price_set: set(current),
    current_total_tax: restPrice(tax),
    current_total_tax_set: set(tax),
    customer_locale: customer?.locale ?? null,
    device_id: null,
    discount_applications: o.discountCodes.map((code) => ({
      type: "discount_code",
      value: `${percent}.0`,
      value_type: "percentage",
      allocation_method: "across",
      target_selection: "all",
      target_type: "line_item",
      code,
    })),
    discount_codes: o.discountCodes.map((code) => ({
      code,
      amount: restPrice(discount),
      type: "percentage",
    })),
    duties_included: false,
    email: o.email,
    estimated_taxes: false,
    financial_status: o.displayFinancialStatus.toLowerCase(),
    fulfillment_status: fulfilled ? "fulfilled" : null,
    landing_site: o.landingPageUrl,
    landing_site_ref: null,
    location_id: null,
    merchant_business_entity_id: Buffer.from(shopId).toString("base64").replace(/=+$/, ""),
    merchant_of_record_app_id: null,
    name: o.name,
    note: null,
    note_attributes: [],
    number,
    order_number: number + 1000,
    order_status_url: o.statusPageUrl,
    original_total_additional_fees_set: null,
    original_total_duties_set: null,
    payment_gateway_names: ["shopify_payments"],
    payment_terms: null,
    phone: o.phone,
    po_number: null,
    presentment_currency: c,
    processed_at: o.processedAt,
    reference: null,
    referring_site: o.customerJourneySummary?.firstVisit?.referrerUrl ?? null,
    source_identifier: null,
    source_name: o.sourceName,
    source_url: null,
    subtotal_price: restPrice(total),
    subtotal_price_set: set(total),
    tags: o.tags.join(", "),
    tax_exempt: false,
    tax_lines: [],
    taxes_included: false,
    test: o.test,
    token,
    total_cash_rounding_payment_adjustment_set: set(0),
    total_cash_rounding_refund_adjustment_set: set(0),
    total_discounts: restPrice(discount),
    total_discounts_set: set(discount),
    total_line_items_price: restPrice(total + discount),
    total_line_items_price_set: set(total + discount),
    total_outstanding: "0.00",
    total_price: restPrice(total),
    total_price_set: set(total),
    total_shipping_price_set: set(0),
    total_tax: restPrice(tax),
    total_tax_set: set(tax),
    total_tip_received: "0.00",
    total_weight: 0,
    updated_at: o.updatedAt,
    user_id: null,
    billing_address: address,
    customer: customer ? restCustomer(customer, c) : null,
    fulfillments: [],
    line_items: o.lineItems.map((li) => {
      const unit = minorOf(li.originalUnitPriceSet);
      const lineDiscount = minorOf(li.totalDiscountSet);
      return {
        id: num(li.id),
        admin_graphql_api_id: li.id,
        attributed_staffs: [],
        current_quantity: li.currentQuantity,
        fulfillable_quantity: fulfilled ? 0 : li.currentQuantity,
        fulfillment_service: "manual",
        fulfillment_status: fulfilled ? "fulfilled" : null,
        gift_card: false,
        grams: 0,
        name: li.name,
        price: restPrice(unit),
        price_set: set(unit),
        product_exists: true,
        product_id: li._productLegacyId,
        properties: [],
        quantity: li.quantity,
        requires_shipping: true,
        sales_line_item_group_id: null,
        sku: li.sku,
        taxable: true,
        title: li.title,
        total_discount: restPrice(lineDiscount),
        total_discount_set: set(lineDiscount),
        variant_id: li._variantLegacyId,
        variant_inventory_management: null,
        variant_title: li.variantTitle,
        vendor: null,
        tax_lines: [],
        duties: [],
        discount_allocations:
          lineDiscount > 0
            ? [
                {
                  amount: restPrice(lineDiscount),
                  amount_set: set(lineDiscount),
                  discount_application_index: 0,
                },
              ]
            : [],
      };
    }),
    line_item_groups: [],
    refunds: [],
    returns: [],
    shipping_address: address,
    shipping_lines: [],
  };
}
