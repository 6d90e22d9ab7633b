import { currencyExponent } from "../money";
import { ascii, compileFields, FieldReader, KIND, LINE } from "./byte-fields";
import { CanonicalScanner, text } from "./canonical-scanner";
import { isoTimeMs, minorUnits } from "./byte-values";

// What RFM reads of an order line (parseOrderFacts' fields), straight from the read buffer: first
// the exact line Shopify writes for the orders bulk query, then any shape through FieldReader. A
// line either gives the same facts parseOrderFacts gives, or OTHER: then the string parser reads it
// and says why it is bad. Pure; one reader per file, reused for every line.

export const READ = { ROW: 0, CHILD: 1, OTHER: 2 } as const;
export type ReadResult = (typeof READ)[keyof typeof READ];

const HEAD = text('{"id":"gid://shopify/');
const ORDER = text("Order/");
const LINE_ITEM = text("LineItem/");
const CREATED = text('","createdAt":"');
const UPDATED = text('","updatedAt":');
const CANCELLED = text(',"cancelledAt":');
const TEST = text(',"test":');
const CUSTOMER = text(',"customer":');
const CUSTOMER_ID = text('{"id":"gid://shopify/Customer/');
const TOTAL = text(',"currentTotalPriceSet":{"shopMoney":{"amount":"');
const LANDING = text(',"landingPageUrl":');
const JOURNEY = text(',"customerJourneySummary":');
const NO_VISIT = text('{"firstVisit":null}');
const PRODUCT = text('","product":');
const PRODUCT_ID = text('{"id":"gid://shopify/Product/');
const PARENT = text(',"__parentId":"gid://shopify/Order/');
const CLOSE_ID = text('"}');

const PATHS = [
  "id",
  "createdAt",
  "cancelledAt",
  "test",
  "customer",
  "customer.id",
  "currentTotalPriceSet.shopMoney.amount",
  "currentTotalPriceSet.shopMoney.currencyCode",
  "totalDiscountsSet.shopMoney.amount",
  "totalDiscountsSet.shopMoney.currencyCode",
  "__parentId",
] as const;
const SPEC = compileFields(PATHS);
const slot = (path: (typeof PATHS)[number]): number => SPEC.slotOf(path);
const S = {
  id: slot("id"),
  createdAt: slot("createdAt"),
  cancelledAt: slot("cancelledAt"),
  test: slot("test"),
  customer: slot("customer"),
  customerId: slot("customer.id"),
  totalAmount: slot("currentTotalPriceSet.shopMoney.amount"),
  totalCurrency: slot("currentTotalPriceSet.shopMoney.currencyCode"),
  discountAmount: slot("totalDiscountsSet.shopMoney.amount"),
  discountCurrency: slot("totalDiscountsSet.shopMoney.currencyCode"),
  parentId: slot("__parentId"),
};
const ORDER_PREFIX = ascii("gid://shopify/Order/");
const CUSTOMER_PREFIX = ascii("gid://shopify/Customer/");

export class OrderFactsReader extends CanonicalScanner {
  id = 0;
  /** -1 for a guest's order */
  customerId = -1;
  createdMs = 0;
  cancelled = false;
  test = false;
  totalMinor = 0;
  discountMinor = 0;
  /** Lines that were not in the canonical shape (read by FieldReader or left to the caller). */
  otherShapes = 0;

  private readonly exponent: number;
  private readonly currency: ReturnType<typeof ascii>;
  // `","currencyCode":"USD"}},` and what follows each amount, for the shop's currency
  private readonly afterTotal: ReturnType<typeof text>;
  private readonly afterDiscount: ReturnType<typeof text>;
  private readonly general = new FieldReader(SPEC);

  constructor(shopCurrency: string) {
    super();
    this.exponent = currencyExponent(shopCurrency);
    this.currency = ascii(shopCurrency);
    this.afterTotal = text(
      `","currencyCode":"${shopCurrency}"}},"totalDiscountsSet":{"shopMoney":{"amount":"`,
    );
    this.afterDiscount = text(`","currencyCode":"${shopCurrency}"}},"discountCodes":[`);
  }

  /** Reads buf[start, end), one line without its "\n". */
  read(buf: Uint8Array, start: number, end: number): ReadResult {
    if (end > start && buf[end - 1] === 0x0d) end--;
    this.begin(buf, end);
    const shaped = this.canonical(start);
    if (shaped !== READ.OTHER) return shaped;
    this.otherShapes++;
    return this.anyShape(buf, start, end);
  }

  private canonical(p: number): ReadResult {
    const buf = this.buf;
    p = this.lit(p, HEAD);
    if (p < 0) return READ.OTHER;
    if (buf[p] === 0x4c) return this.lineItem(this.lit(p, LINE_ITEM));
    p = this.lit(p, ORDER);
    let q = this.digits(p);
    if (q < 0) return READ.OTHER;
    this.id = this.digitValue;
    p = this.lit(q, CREATED);
    q = this.quote(p);
    if (q < 0 || Number.isNaN((this.createdMs = isoTimeMs(buf, p, q)))) return READ.OTHER;
    p = this.string(this.lit(q, UPDATED));
    p = this.lit(p, CANCELLED);
    if (p < 0) return READ.OTHER;
    if (buf[p] === 0x22) {
      q = this.quote(p + 1);
      if (q < 0 || Number.isNaN(isoTimeMs(buf, p + 1, q))) return READ.OTHER;
      this.cancelled = true;
      p = q + 1;
    } else {
      this.cancelled = false;
      p = this.null(p);
    }
    p = this.bool(this.lit(p, TEST));
    this.test = this.flag;
    p = this.lit(p, CUSTOMER);
    if (p < 0) return READ.OTHER;
    if (buf[p] === 0x6e) {
      this.customerId = -1;
      p = this.null(p);
    } else {
      p = this.lit(p, CUSTOMER_ID);
      q = this.digits(p);
      if (q < 0) return READ.OTHER;
      this.customerId = this.digitValue;
      p = this.lit(q, CLOSE_ID);
    }
    p = this.lit(p, TOTAL);
    q = this.quote(p);
    if (q < 0 || (this.totalMinor = minorUnits(buf, p, q, this.exponent)) < 0) return READ.OTHER;
    p = this.lit(q, this.afterTotal);
    q = this.quote(p);
    if (q < 0 || (this.discountMinor = minorUnits(buf, p, q, this.exponent)) < 0) return READ.OTHER;
    p = this.strings(this.lit(q, this.afterDiscount));
    p = this.stringOrNull(this.lit(p, LANDING));
    p = this.lit(p, JOURNEY);
    if (p < 0) return READ.OTHER;
    p = buf[p] === 0x6e ? this.null(p) : this.lit(p, NO_VISIT);
    return p >= 0 && p + 1 === this.limit && buf[p] === 0x7d ? READ.ROW : READ.OTHER;
  }

  // p after `{"id":"gid://shopify/LineItem/`
  private lineItem(p: number): ReadResult {
    const buf = this.buf;
    let q = this.digits(p);
    p = this.lit(q, PRODUCT);
    if (p < 0) return READ.OTHER;
    if (buf[p] === 0x6e) p = this.null(p);
    else {
      p = this.lit(this.digits(this.lit(p, PRODUCT_ID)), CLOSE_ID);
    }
    q = this.digits(this.lit(p, PARENT));
    return q >= 0 && q + 2 === this.limit && buf[q + 1] === 0x7d ? READ.CHILD : READ.OTHER;
  }

  // Any key order, escapes, whitespace, extra fields: what parseOrderFacts would read, or OTHER.
  private anyShape(buf: Uint8Array, start: number, end: number): ReadResult {
    const r = this.general;
    if (r.read(buf, start, end) !== LINE.OBJECT) return READ.OTHER;
    if (r.kind[S.parentId] !== KIND.ABSENT) return READ.CHILD;
    this.id = r.idAfter(S.id, ORDER_PREFIX);
    this.createdMs = this.time(S.createdAt);
    if (this.id < 0 || Number.isNaN(this.createdMs)) return READ.OTHER;
    const cancelled = r.kind[S.cancelledAt];
    if (cancelled === KIND.STRING) {
      if (Number.isNaN(this.time(S.cancelledAt))) return READ.OTHER;
      this.cancelled = true;
    } else if (cancelled === KIND.NULL) this.cancelled = false;
    else return READ.OTHER;
    const test = r.kind[S.test];
    if (test !== KIND.TRUE && test !== KIND.FALSE) return READ.OTHER;
    this.test = test === KIND.TRUE;
    const customer = r.kind[S.customer];
    if (customer === KIND.NULL) this.customerId = -1;
    else if (customer !== KIND.OBJECT || (this.customerId = r.idAfter(S.customerId, CUSTOMER_PREFIX)) < 0)
      return READ.OTHER;
    if (!r.stringEquals(S.totalCurrency, this.currency) || !r.stringEquals(S.discountCurrency, this.currency))
      return READ.OTHER;
    this.totalMinor = this.amount(S.totalAmount);
    this.discountMinor = this.amount(S.discountAmount);
    return this.totalMinor < 0 || this.discountMinor < 0 ? READ.OTHER : READ.ROW;
  }

  private time(slot: number): number {
    const r = this.general;
    return r.kind[slot] === KIND.STRING && r.escapes[slot] === 0
      ? isoTimeMs(r.bytes, r.from[slot]!, r.to[slot]!)
      : NaN;
  }

  private amount(slot: number): number {
    const r = this.general;
    return r.kind[slot] === KIND.STRING && r.escapes[slot] === 0
      ? minorUnits(r.bytes, r.from[slot]!, r.to[slot]!, this.exponent)
      : -1;
  }
}
