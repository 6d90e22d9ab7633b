import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { suppressionInForce } from "../messaging/delivery-events/suppression-sql";
import { CHANNELS, SUPPRESSION_REASONS, type Channel, type Suppression } from "../messaging/rules/channels";
import type { SendRecord } from "../messaging/rules/caps";
import type { AudienceSettings } from "../messaging/rules/settings";
import { isSegment } from "../segments/rules";
import { CheckoutLineItems } from "../sync/checkouts/checkout";
import { isOfferable, itemStock, type ProductStock } from "../sync/checkouts/item-stock";
import { formatMinorUnits } from "../sync/money";
import type { CartLine, CheckoutFact, FlowCustomer, OrderFact, ShopContext, StepFacts } from "./model";

// What is re-read right before a batch of steps is decided, for every enrollment in it: a handful of
// queries per shop and batch, whatever its size. Orders are the stored ones (webhooks write them
// before the scheduler looks), so an order that arrived a second ago ends the flow.

type Db = Pick<PrismaClient, "customer" | "customerScore" | "order" | "checkout" | "product" | "shop" | "$queryRawUnsafe">;

/** Facts are per customer and trigger checkout: a customer's two enrollments in one batch may need different checkouts. */
export function factsKey(request: FactsRequest): string {
  return `${request.customerId}:${request.checkoutId ?? ""}`;
}

export interface FactsRequest {
  customerId: bigint;
  /** the trigger checkout (abandoned checkout flows) */
  checkoutId: bigint | null;
}

const CAPS_LOOKBACK_DAYS = 8;
const CROSS_SELL_CANDIDATES = 24;

const HistoryRow = z.object({ customerId: z.string(), label: z.string(), channel: z.string(), at: z.coerce.date() });
const SuppressionRow = z.object({ customerId: z.string(), channel: z.string(), reason: z.string() });

const isChannel = (value: string): value is Channel => CHANNELS.some((c) => c === value);

export async function loadStepFacts(
  db: Db,
  shop: string,
  requests: readonly FactsRequest[],
  audience: AudienceSettings,
  now: Date,
): Promise<Map<string, StepFacts>> {
  const ids = [...new Set(requests.map((r) => r.customerId))];
  const checkoutIds = [...new Set(requests.flatMap((r) => (r.checkoutId === null ? [] : [r.checkoutId])))];
  const idsJson = JSON.stringify(ids.map(String));
  const since = new Date(now.getTime() - CAPS_LOOKBACK_DAYS * 86_400_000);
  const [shopRow, customers, scores, orders, checkouts, suppressions, history, bestSellers] = await Promise.all([
    db.shop.findUnique({ where: { domain: shop }, select: { ianaTimezone: true, currencyCode: true } }),
    db.customer.findMany({ where: { shop, id: { in: ids } } }),
    db.customerScore.findMany({ where: { shop, customerId: { in: ids } }, select: { customerId: true, segment: true } }),
    db.order.findMany({
      where: { shop, customerId: { in: ids }, cancelledAt: null, test: false },
      select: { id: true, customerId: true, shopifyCreatedAt: true, productIds: true },
    }),
    db.checkout.findMany({ where: { shop, id: { in: checkoutIds } } }),
    db.$queryRawUnsafe<unknown[]>(
      `SELECT s."customerId"::text AS "customerId", s.channel, s.reason FROM "Suppression" s
       WHERE s.shop = $1 AND s."customerId" = ANY(ARRAY(SELECT jsonb_array_elements_text($2::jsonb)::bigint))
         AND ${suppressionInForce("s")}`,
      shop,
      idsJson,
    ),
    // messages of campaigns and of flows that count toward caps, sent or on their way
    db.$queryRawUnsafe<unknown[]>(
      `SELECT o."customerId"::text AS "customerId", coalesce(o."enrollmentId", o."campaignId" || ':' || o."sendKey") AS label,
         o.channel, coalesce(o."sentAt", o."sendAt") AS at
       FROM "OutboxMessage" o
       WHERE o.shop = $1 AND o."customerId" = ANY(ARRAY(SELECT jsonb_array_elements_text($2::jsonb)::bigint))
         AND o.status IN ('planned', 'queued', 'sending', 'sent') AND o."countsTowardCaps"
         AND coalesce(o."sentAt", o."sendAt") >= $3::timestamptz AT TIME ZONE 'UTC'`,
      shop,
      idsJson,
      since.toISOString(),
    ),
    db.product.findMany({
      where: { shop, inStock: true, status: "ACTIVE", deletedAt: null },
      orderBy: [{ salesCount: "desc" }, { id: "asc" }],
      take: CROSS_SELL_CANDIDATES,
      select: { id: true },
    }),
  ]);

  // Stock of every product a cart or the cross-sell may show.
  const cartItems = new Map<string, CartLine[]>();
  const cartProductIds = new Set<bigint>();
  for (const k of checkouts) {
    const items = CheckoutLineItems.safeParse(k.lineItems);
    const lines: CartLine[] = [];
    for (const item of items.success ? items.data : []) {
      if (item.productId === null || item.quantity < 1) continue;
      cartProductIds.add(item.productId);
      lines.push({
        productId: item.productId.toString(),
        variantId: item.variantId?.toString() ?? null,
        quantity: item.quantity,
        title: item.title,
        price: item.priceMinor === null ? null : safeMoney(item.priceMinor, k.currencyCode),
      });
    }
    cartItems.set(k.id.toString(), lines);
  }
  const stockRows = await db.product.findMany({
    where: { shop, id: { in: [...cartProductIds, ...bestSellers.map((b) => b.id)] } },
    select: {
      id: true,
      status: true,
      deletedAt: true,
      publishedAt: true,
      inStock: true,
      tracksInventory: true,
      availableVariantIds: true,
      variantsKnown: true,
    },
  });
  const buyable = new Map(stockRows.map((p) => [p.id.toString(), p]));

  const segment = new Map(scores.map((s) => [s.customerId.toString(), s.segment]));
  const byCustomer = <T>(rows: T[], key: (row: T) => string) => {
    const map = new Map<string, T[]>();
    for (const row of rows) map.set(key(row), [...(map.get(key(row)) ?? []), row]);
    return map;
  };
  const ordersOf = byCustomer(orders, (o) => String(o.customerId));
  const suppressionsOf = byCustomer(suppressions.map((r) => SuppressionRow.parse(r)), (s) => s.customerId);
  const historyOf = byCustomer(history.map((r) => HistoryRow.parse(r)), (h) => h.customerId);
  const shopContext: ShopContext = {
    shop,
    timeZone: shopRow?.ianaTimezone ?? "UTC",
    audience: { caps: audience.caps, smsQuietHours: audience.smsQuietHours, stateQuietHours: audience.stateQuietHours },
  };

  const out = new Map<string, StepFacts>();
  for (const request of requests) {
    const c = customers.find((row) => row.id === request.customerId);
    if (!c) continue;
    const id = c.id.toString();
    const seg = segment.get(id) ?? null;
    const customer: FlowCustomer = {
      id,
      segment: seg !== null && isSegment(seg) ? seg : null,
      timeZone: c.timeZone,
      countryCode: c.countryCode,
      provinceCode: c.provinceCode,
      email: c.email,
      phone: c.phone,
      emailMarketingState: c.emailMarketingState,
      smsMarketingState: c.smsMarketingState,
    };
    const checkoutRow = request.checkoutId === null ? undefined : checkouts.find((k) => k.id === request.checkoutId);
    const checkout: CheckoutFact | null = checkoutRow
      ? {
          id: checkoutRow.id.toString(),
          updatedAt: checkoutRow.shopifyUpdatedAt,
          completedAt: checkoutRow.completedAt,
          recoveryUrl: checkoutRow.recoveryUrl,
          lines: cartItems.get(checkoutRow.id.toString()) ?? [],
        }
      : null;
    const inStock: Record<string, boolean> = {};
    for (const line of checkout?.lines ?? []) inStock[line.productId] = offerable(buyable.get(line.productId), line.variantId, now);
    for (const b of bestSellers) inStock[b.id.toString()] ??= offerable(buyable.get(b.id.toString()), null, now);
    out.set(factsKey(request), {
      customer,
      suppressions: (suppressionsOf.get(id) ?? []).flatMap(toSuppression),
      orders: (ordersOf.get(id) ?? []).map(
        (o): OrderFact => ({ id: o.id.toString(), placedAt: o.shopifyCreatedAt, checkoutId: null, productIds: o.productIds.map(String) }),
      ),
      checkout,
      inStock,
      crossSellProductIds: bestSellers.map((b) => b.id.toString()),
      capsHistory: (historyOf.get(id) ?? []).flatMap((h): SendRecord[] =>
        isChannel(h.channel) ? [{ campaign: h.label, channel: h.channel, at: h.at }] : [],
      ),
      shop: shopContext,
    });
  }
  return out;
}

/** A cart line (or a product, variantId null) can be offered now: item-stock.ts's rule, the one the checkout's stored stock uses. */
export function offerable(product: ProductStock | undefined, variantId: string | null, now: Date): boolean {
  if (!product) return false;
  return isOfferable(itemStock({ productId: product.id, variantId: variantId === null ? null : BigInt(variantId) }, product, now));
}

function toSuppression(row: { channel: string; reason: string }): Suppression[] {
  const channel = row.channel === "all" || isChannel(row.channel) ? row.channel : null;
  // A reason this code does not know still suppresses: not sending is the safe side.
  const reason = SUPPRESSION_REASONS.find((r) => r === row.reason) ?? "unsubscribed";
  return channel ? [{ channel, reason }] : [];
}

function safeMoney(minor: bigint, currency: string): string | null {
  try {
    return formatMinorUnits(minor, currency);
  } catch {
    return null;
  }
}
