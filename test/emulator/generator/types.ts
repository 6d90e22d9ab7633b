// Records use Admin GraphQL field names so the GraphQL layer can serve them as they are.
// Fields starting with "_" are emulator internals that no schema field can reach.
export interface Money {
  amount: string;
  currencyCode: string;
}
export interface MoneyBag {
  shopMoney: Money;
  presentmentMoney: Money;
}
export type EmailMarketingState = "SUBSCRIBED" | "NOT_SUBSCRIBED" | "UNSUBSCRIBED" | "PENDING";
export type SmsMarketingState = EmailMarketingState;
export type OptInLevel = "SINGLE_OPT_IN" | "CONFIRMED_OPT_IN" | "UNKNOWN";

export interface EmailConsent {
  marketingState: EmailMarketingState;
  marketingOptInLevel: OptInLevel | null;
  consentUpdatedAt: string | null;
}
export interface SmsConsent {
  marketingState: SmsMarketingState;
  marketingOptInLevel: OptInLevel;
  consentUpdatedAt: string | null;
  consentCollectedFrom: "OTHER" | "SHOPIFY";
}
export interface AddressRecord {
  id: string;
  firstName: string;
  lastName: string;
  name: string;
  address1: string;
  city: string;
  province: string | null;
  provinceCode: string | null;
  country: string;
  countryCodeV2: string;
  zip: string;
  phone: string | null;
  timeZone: string;
}
export interface CustomerRecord {
  id: string;
  legacyResourceId: string;
  createdAt: string;
  updatedAt: string;
  firstName: string;
  lastName: string;
  displayName: string;
  email: string | null;
  phone: string | null;
  locale: string;
  note: string | null;
  state: "ENABLED" | "DISABLED" | "INVITED" | "DECLINED";
  verifiedEmail: boolean;
  tags: string[];
  emailMarketingConsent: EmailConsent | null;
  smsMarketingConsent: SmsConsent | null;
  defaultAddress: AddressRecord | null;
  amountSpent: Money;
  numberOfOrders: string;
  statistics: { predictedSpendTier: "HIGH" | "MEDIUM" | "LOW"; rfmGroup: string };
  _index: number;
  _amountSpentMinor: number;
}
export interface LineItemRecord {
  id: string;
  name: string;
  title: string;
  variantTitle: string | null;
  sku: string;
  quantity: number;
  currentQuantity: number;
  originalUnitPriceSet: MoneyBag;
  totalDiscountSet: MoneyBag;
  _productIndex: number;
  _variantIndex: number;
  /** numeric ids for the REST payload (product_id, variant_id) */
  _productLegacyId: number;
  _variantLegacyId: number | null;
}
export interface OrderRecord {
  id: string;
  legacyResourceId: string;
  name: string;
  createdAt: string;
  processedAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  cancelReason: OrderCancelReason | null;
  closed: boolean;
  confirmed: boolean;
  test: boolean;
  email: string | null;
  phone: string | null;
  currencyCode: string;
  tags: string[];
  sourceName: string;
  landingPageUrl: string | null;
  discountCode: string | null;
  discountCodes: string[];
  displayFinancialStatus: "PAID" | "PARTIALLY_REFUNDED" | "REFUNDED" | "VOIDED";
  displayFulfillmentStatus: "FULFILLED" | "UNFULFILLED";
  subtotalPriceSet: MoneyBag;
  totalPriceSet: MoneyBag;
  currentTotalPriceSet: MoneyBag;
  totalDiscountsSet: MoneyBag;
  currentTotalDiscountsSet: MoneyBag;
  currentTotalTaxSet: MoneyBag;
  subtotalLineItemsQuantity: number;
  /** the order status page (Order.statusPageUrl, order_status_url) */
  statusPageUrl: string;
  customerJourneySummary: {
    customerOrderIndex: number | null;
    daysToConversion: number;
    ready: boolean;
    /** orders placed live carry their landing page's visit; generated ones have none (null in GraphQL) */
    firstVisit?: CustomerVisitRecord | null;
  } | null;
  lineItems: LineItemRecord[];
  _index: number;
  _customerIndex: number | null;
  _totalMinor: number;
  _discountMinor: number;
}
export type OrderCancelReason = "CUSTOMER" | "DECLINED" | "FRAUD" | "INVENTORY" | "OTHER" | "STAFF";
/** CustomerVisit: the visit that brought the shopper (what the app reads, and the schema's non-null fields). */
export interface CustomerVisitRecord {
  id: string;
  landingPage: string | null;
  occurredAt: string;
  referrerUrl: string | null;
  source: string;
  referralInfoHtml: string;
  utmParameters: { source: string | null; medium: string | null; campaign: string | null; content: string | null; term: string | null } | null;
}
/** A shopper places an order now: a customer's (or a guest's), from a cart. */
export interface PlaceOrderArgs {
  customerIndex: number | null;
  lines: readonly CartLine[];
  /** when it was placed (the emulator's now by default) */
  at?: Date;
  /** where the visit began: an absolute URL, or a path (with its query) on the shop's storefront */
  landingSite?: string | null;
  /** codes entered at checkout: each order with codes takes 10% off its subtotal */
  discountCodes?: readonly string[];
  test?: boolean;
}
export interface VariantRecord {
  id: string;
  legacyResourceId: string;
  title: string;
  displayName: string;
  sku: string;
  price: string;
  position: number;
  inventoryQuantity: number;
  availableForSale: boolean;
  createdAt: string;
  updatedAt: string;
  _productIndex: number;
  _priceMinor: number;
}
export interface ProductRecord {
  id: string;
  legacyResourceId: string;
  title: string;
  handle: string;
  vendor: string;
  productType: string;
  status: "ACTIVE" | "DRAFT" | "ARCHIVED";
  tags: string[];
  createdAt: string;
  updatedAt: string;
  /** on the Online Store since; null: not published there (drafts, archived, a few active ones) */
  publishedAt: string | null;
  /** the featured image's URL (a reserved .example host), or null: no media */
  _imageUrl: string | null;
  totalInventory: number;
  totalVariants: number;
  hasOutOfStockVariants: boolean;
  tracksInventory: boolean;
  variants: VariantRecord[];
  _index: number;
}
export interface CheckoutLineItemRecord {
  id: string;
  title: string;
  variantTitle: string | null;
  sku: string;
  quantity: number;
  originalUnitPriceSet: MoneyBag;
  originalTotalPriceSet: MoneyBag;
  discountedTotalPriceSet: MoneyBag;
  _productIndex: number;
  _variantIndex: number;
  /** numeric ids for the REST payload (product_id, variant_id) */
  _productLegacyId: number;
  _variantLegacyId: number;
  _unitMinor: number;
}
/**
 * A checkout, in AbandonedCheckout's field names. One is completed into each order (k = the order's
 * index), the others are abandoned (k from the order count on), then those the tests start live.
 */
export interface CheckoutRecord {
  id: string;
  legacyResourceId: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  abandonedCheckoutUrl: string;
  note: string;
  discountCodes: string[];
  taxesIncluded: boolean;
  subtotalPriceSet: MoneyBag;
  totalLineItemsPriceSet: MoneyBag;
  totalDiscountSet: MoneyBag;
  totalPriceSet: MoneyBag;
  lineItems: CheckoutLineItemRecord[];
  /** what the REST payload carries and AbandonedCheckout does not */
  _token: string;
  _email: string | null;
  _phone: string | null;
  _index: number;
  _customerIndex: number | null;
  /** the order it was completed into */
  _orderIndex: number | null;
  _totalMinor: number;
}
/** A cart line: product k's variant v, `quantity` of it. */
export interface CartLine {
  productIndex: number;
  variantIndex: number;
  quantity: number;
}
/** A change to a checkout: its cart, or its completion. */
export interface CheckoutPatch {
  lines?: CartLine[];
  completed?: boolean;
}
/** A change the emulator's tests make to a product: its status, or every variant's stock. */
export interface ProductPatch {
  status?: ProductRecord["status"];
  inventoryQuantity?: number;
}
export interface CustomerPatch {
  firstName?: string;
  lastName?: string;
  email?: string | null;
  phone?: string | null;
  emailMarketingConsent?: EmailConsent;
  smsMarketingConsent?: SmsConsent;
  tags?: string[];
}
