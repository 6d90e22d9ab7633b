import { createHash } from "node:crypto";
import type { SendRecord } from "../../messaging/rules/caps";
import type { Segment, SegmentThresholds } from "../../segments/rules";
import type { Checkout } from "../../sync/checkouts/checkout";
import { formatMinorUnits, MoneyError } from "../../sync/money";
import type { FlowDefinition } from "../definition";
import type {
  CartLine,
  CheckoutFact,
  Enrollment,
  FlowRow,
  OrderFact,
  ShopContext,
  StepFacts,
} from "../model";
import type { Catalogue } from "./catalogue";
import type { FlowFileCustomer } from "./customer-line";
import type { FileOrder } from "./orders-file";
import { SegmentBook } from "./segment-book";

// The shop as the files say it is at the replay's virtual now: the orders and checkout versions
// that have happened, each customer's stored segment (rescored when the app would rescore it), and
// the messages sent so far (the caps history). StepFacts are built from it the way the app builds
// them from its tables (step-facts.server.ts). Pure.

/** How far back the caps history reaches, as the app's. */
const CAPS_LOOKBACK_MS = 8 * 86_400_000;

export interface SegmentChange {
  /** the app's SegmentTransition id for the same change (its rescore statement's hash) */
  id: string;
  customerId: string;
  from: Segment;
  to: Segment;
  at: Date;
}

/** sha256 of shop|customer|from|to|at, as the rescore statement names a transition (rescore-sql.ts). */
export function segmentTransitionId(
  shop: string,
  customerId: string,
  from: Segment,
  to: Segment,
  at: Date,
): string {
  return createHash("sha256").update([shop, customerId, from, to, at.toISOString()].join("|")).digest("hex");
}

function price(minor: bigint | null, currency: string | null): string | null {
  if (minor === null || currency === null) return null;
  try {
    return formatMinorUnits(minor, currency);
  } catch (error) {
    if (error instanceof MoneyError) return null;
    throw error;
  }
}

function cartLines(checkout: Checkout): CartLine[] {
  return checkout.lineItems.flatMap((item) =>
    item.productId === null || item.quantity < 1
      ? []
      : [
          {
            productId: item.productId.toString(),
            variantId: item.variantId?.toString() ?? null,
            quantity: item.quantity,
            title: item.title,
            price: price(item.priceMinor, checkout.currencyCode),
          },
        ],
  );
}

export class ReplayWorld {
  private readonly customers = new Map<string, FlowFileCustomer>();
  private readonly segments = new Map<string, Segment>();
  private readonly book: SegmentBook;
  private readonly orders = new Map<string, OrderFact[]>();
  private readonly checkouts = new Map<string, Checkout>();
  private readonly sends = new Map<string, SendRecord[]>();

  constructor(
    private readonly shop: ShopContext,
    thresholds: SegmentThresholds,
    customers: readonly FlowFileCustomer[],
    private readonly catalogue: Catalogue,
  ) {
    this.book = new SegmentBook(thresholds);
    for (const c of customers) {
      const id = c.id.toString();
      this.customers.set(id, c);
      this.book.addCustomer(id);
    }
  }

  get shopContext(): ShopContext {
    return this.shop;
  }

  hasCustomer(id: string): boolean {
    return this.customers.has(id);
  }

  segmentOf(id: string): Segment | null {
    return this.segments.get(id) ?? null;
  }

  timeZoneOf(id: string): string | null {
    return this.customers.get(id)?.timeZone ?? null;
  }

  /** An order has happened: a counted one (not a test, not cancelled) of a known customer counts. */
  addOrder(order: FileOrder): boolean {
    const id = order.customerId?.toString();
    if (order.test || order.cancelledAt !== null || id === undefined || !this.customers.has(id)) return false;
    this.book.addOrder(
      id,
      Number(order.totalMinor),
      order.discountMinor > 0n,
      order.shopifyCreatedAt.getTime(),
    );
    const fact: OrderFact = {
      id: order.id.toString(),
      placedAt: order.shopifyCreatedAt,
      checkoutId: null,
      productIds: order.productIds.map(String),
    };
    this.orders.set(id, [...(this.orders.get(id) ?? []), fact]);
    return true;
  }

  /** A checkout version has happened; like the app's stored row, an older version never replaces a newer. */
  addCheckout(version: Checkout): void {
    const id = version.id.toString();
    const stored = this.checkouts.get(id);
    if (!stored || stored.updatedAt <= version.updatedAt) this.checkouts.set(id, version);
  }

  /** The customer rescored at `at`: the change of segment, or null (also at a first scoring). */
  rescore(customerId: string, at: Date): SegmentChange | null {
    const to = this.book.segmentAt(customerId, at);
    const from = this.segments.get(customerId);
    this.segments.set(customerId, to);
    if (from === undefined || from === to) return null;
    return { id: segmentTransitionId(this.shop.shop, customerId, from, to, at), customerId, from, to, at };
  }

  /** Every customer rescored at `at` (the nightly rescore), changes by customer id. */
  rescoreAll(at: Date): SegmentChange[] {
    const ids = [...this.customers.keys()].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    return ids.flatMap((id) => this.rescore(id, at) ?? []);
  }

  /** The rows that went out count toward the customer's caps (the app's outbox rows). */
  recordSends(rows: readonly FlowRow[]): void {
    for (const row of rows) {
      if (row.skipReason !== null || row.sendAt === null) continue;
      const record = { campaign: row.enrollmentId, channel: row.channel, at: row.sendAt };
      this.sends.set(row.customerId, [...(this.sends.get(row.customerId) ?? []), record]);
    }
  }

  factsFor(flow: FlowDefinition, enrollment: Enrollment, now: Date): StepFacts {
    const id = enrollment.customerId;
    const c = this.customers.get(id);
    if (!c) throw new RangeError(`no customer ${id}`);
    const stored =
      flow.trigger.event === "checkout_activity" ? this.checkouts.get(enrollment.triggerEntityId) : undefined;
    const checkout: CheckoutFact | null = stored
      ? {
          id: stored.id.toString(),
          updatedAt: stored.updatedAt,
          completedAt: stored.completedAt,
          recoveryUrl: stored.recoveryUrl,
          lines: cartLines(stored),
        }
      : null;
    const inStock: Record<string, boolean> = {};
    for (const line of checkout?.lines ?? [])
      inStock[line.productId] = this.catalogue.offerable(
        BigInt(line.productId),
        line.variantId === null ? null : BigInt(line.variantId),
        now,
      );
    for (const p of this.catalogue.bestSellers) inStock[p] ??= this.catalogue.offerable(BigInt(p), null, now);
    const since = now.getTime() - CAPS_LOOKBACK_MS;
    return {
      customer: {
        id,
        segment: this.segments.get(id) ?? null,
        timeZone: c.timeZone,
        countryCode: c.countryCode,
        provinceCode: c.provinceCode,
        email: c.email,
        phone: c.phone,
        emailMarketingState: c.emailMarketingState,
        smsMarketingState: c.smsMarketingState,
      },
      suppressions: [],
      orders: this.orders.get(id) ?? [],
      checkout,
      inStock,
      crossSellProductIds: this.catalogue.bestSellers,
      capsHistory: (this.sends.get(id) ?? []).filter((s) => s.at.getTime() >= since),
      shop: this.shop,
    };
  }
}
