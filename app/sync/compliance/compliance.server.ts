import { z } from "zod";
import { createHash } from "node:crypto";
import type { Prisma } from "@prisma/client";
import { type PrismaClient } from "@prisma/client";
import { lock } from "../locks.server";
import type { CustomerContact, CustomerRedaction, DataRequest } from "../webhooks/payloads";
import { recordRedaction, scrubDeliveries } from "./redactions.server";
import { consentHistory } from "../../storefront/consent-ledger.server";

// Shopify's mandatory compliance topics. Every statement is scoped by shop: a request for one
// shop can never read or delete another shop's rows.

type Client = Pick<
  PrismaClient,
  | "customer"
  | "customerScore"
  | "segmentTransition"
  | "order"
  | "checkout"
  | "dataRequest"
  | "outboxMessage"
  | "suppression"
  | "consentRecord"
  | "consentDisclosure"
  | "$transaction"
>;

/** Deterministic id of the export of one request: a redelivered or retried webhook rewrites the same row. */
export function dataRequestId(shop: string, requestKey: string): string {
  return `dr_${createHash("sha256").update(`${shop}\n${requestKey}`).digest("hex").slice(0, 32)}`;
}

/** Dates → ISO strings, bigints → decimal strings: the export is plain JSON. */
function plain(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
  ) as Prisma.InputJsonValue;
}

export const CustomerExport = z.object({
  shop: z.string(),
  customerId: z.string(),
  generatedAt: z.string(),
  customer: z.record(z.unknown()).nullable(),
  // Optional: exports stored before scores had their own table lack them.
  score: z.record(z.unknown()).nullable().optional(),
  segmentTransitions: z.array(z.record(z.unknown())).optional(),
  orders: z.array(z.record(z.unknown())),
  checkouts: z.array(z.record(z.unknown())),
  // Optional: exports stored before campaigns lack them.
  messages: z.array(z.record(z.unknown())).optional(),
  suppressions: z.array(z.record(z.unknown())).optional(),
  // Optional: exports stored before the storefront lack it.
  consent: z.array(z.record(z.unknown())).optional(),
});
export type CustomerExport = z.infer<typeof CustomerExport>;

/**
 * The customer's checkouts: theirs by id, and a guest's checkout with their email (any case) or phone,
 * which carries no customer id.
 */
export function checkoutsOf(
  customerId: bigint,
  contact: CustomerContact | undefined,
): Prisma.CheckoutWhereInput {
  const guest: Prisma.CheckoutWhereInput[] = [];
  if (contact?.email) guest.push({ customerId: null, email: { equals: contact.email, mode: "insensitive" } });
  if (contact?.phone) guest.push({ customerId: null, phone: contact.phone });
  return { OR: [{ customerId }, ...guest] };
}

/**
 * Everything stored about one customer of a shop: their Customer row, RFM score and segment
 * history, orders, checkouts, the campaign messages planned or sent to them, their suppressions and
 * their consent ledger (with the texts they were shown).
 */
export async function buildCustomerExport(
  prisma: Client,
  shop: string,
  request: Pick<DataRequest, "customerId" | "orderIds"> & { contact?: CustomerContact },
  now: Date,
): Promise<CustomerExport> {
  const [customer, score, segmentTransitions, orders, checkouts, messages, suppressions, consent] = await Promise.all([
    prisma.customer.findUnique({ where: { shop_id: { shop, id: request.customerId } } }),
    prisma.customerScore.findUnique({ where: { shop_customerId: { shop, customerId: request.customerId } } }),
    prisma.segmentTransition.findMany({
      where: { shop, customerId: request.customerId },
      orderBy: { at: "asc" },
    }),
    prisma.order.findMany({
      where: { shop, OR: [{ customerId: request.customerId }, { id: { in: request.orderIds } }] },
      orderBy: { id: "asc" },
    }),
    prisma.checkout.findMany({
      where: { shop, ...checkoutsOf(request.customerId, request.contact) },
      orderBy: { id: "asc" },
    }),
    prisma.outboxMessage.findMany({
      where: { shop, customerId: request.customerId },
      orderBy: { createdAt: "asc" },
    }),
    prisma.suppression.findMany({
      where: { shop, customerId: request.customerId },
      orderBy: { createdAt: "asc" },
    }),
    consentHistory(prisma, shop, request.customerId),
  ]);
  return plain({
    shop,
    customerId: request.customerId.toString(),
    generatedAt: now.toISOString(),
    customer,
    score,
    segmentTransitions,
    orders,
    checkouts,
    messages,
    suppressions,
    consent,
  }) as unknown as CustomerExport;
}

/** customers/data_request: stores the export for the merchant to download. Returns the DataRequest id. */
export async function handleDataRequest(
  prisma: Client,
  shop: string,
  request: DataRequest,
  args: { webhookId: string; now: Date },
): Promise<string> {
  const id = dataRequestId(shop, request.requestId ?? `webhook:${args.webhookId}`);
  const data = plain(await buildCustomerExport(prisma, shop, request, args.now));
  await prisma.dataRequest.upsert({
    where: { id },
    create: { id, shop, customerId: request.customerId, requestedAt: args.now, export: data },
    update: { export: data },
  });
  return id;
}

export interface RedactionCounts {
  customers: number;
  orders: number;
  checkouts: number;
  dataRequests: number;
  /** stored webhook deliveries about them, now without personal data */
  deliveries: number;
}

/**
 * customers/redact, asked at `redactedAt`: the customer's row (names, email, phone…), score and
 * segment history, their orders (and those listed), checkouts (a guest's with their email or phone
 * too), campaign messages and exports go;
 * their stored webhook payloads keep ids only; and the redaction is recorded, so that no delivery
 * triggered before it, no backfill and no reconciliation brings any of it back. Suppressions stay:
 * they hold only the id, and keep the customer from being messaged should Shopify send them again.
 */
export async function redactCustomer(
  prisma: Client,
  shop: string,
  redaction: CustomerRedaction,
  redactedAt: Date,
): Promise<RedactionCounts> {
  const { customerId, orderIds } = redaction;
  return prisma.$transaction(
    async (tx) => {
      // A webhook applying this customer or order right now finishes first, or waits and then
      // finds the record (the same locks, in the same order, as webhook processing).
      await lock(tx, shop, "order", orderIds);
      await lock(tx, shop, "customer", [customerId]);
      await recordRedaction(tx, shop, redaction, redactedAt);
      const customers = await tx.customer.deleteMany({ where: { shop, id: customerId } });
      await tx.customerScore.deleteMany({ where: { shop, customerId } });
      await tx.segmentTransition.deleteMany({ where: { shop, customerId } });
      const orders = await tx.order.deleteMany({
        where: { shop, OR: [{ customerId }, { id: { in: orderIds } }] },
      });
      const checkouts = await tx.checkout.deleteMany({
        where: { shop, ...checkoutsOf(customerId, redaction.contact) },
      });
      const dataRequests = await tx.dataRequest.deleteMany({ where: { shop, customerId } });
      await tx.outboxMessage.deleteMany({ where: { shop, customerId } });
      await tx.messageEvent.deleteMany({ where: { shop, customerId } });
      await tx.orderAttribution.deleteMany({ where: { shop, orderId: { in: orderIds } } });
      await tx.flowEnrollment.deleteMany({ where: { shop, customerId } });
      await tx.consentRecord.deleteMany({ where: { shop, customerId } });
      const deliveries = await scrubDeliveries(tx, shop, redaction);
      return {
        customers: customers.count,
        orders: orders.count,
        checkouts: checkouts.count,
        dataRequests: dataRequests.count,
        deliveries,
      };
    },
    // a shop's stored deliveries are read once for the scrub: more than the default 5 s at peak
    { timeout: 60_000 },
  );
}

/** shop/redact: every row of the shop in every table, in one transaction. Returns rows deleted per table. */
export async function redactShop(prisma: PrismaClient, shop: string): Promise<Record<string, number>> {
  const deletes = [
    ["Customer", prisma.customer.deleteMany({ where: { shop } })],
    ["CustomerScore", prisma.customerScore.deleteMany({ where: { shop } })],
    ["SegmentTransition", prisma.segmentTransition.deleteMany({ where: { shop } })],
    ["ShopScoring", prisma.shopScoring.deleteMany({ where: { shop } })],
    ["Order", prisma.order.deleteMany({ where: { shop } })],
    ["Checkout", prisma.checkout.deleteMany({ where: { shop } })],
    ["Product", prisma.product.deleteMany({ where: { shop } })],
    ["SyncRun", prisma.syncRun.deleteMany({ where: { shop } })],
    ["Job", prisma.job.deleteMany({ where: { shop } })],
    ["DataRequest", prisma.dataRequest.deleteMany({ where: { shop } })],
    ["CustomerRedaction", prisma.customerRedaction.deleteMany({ where: { shop } })],
    ["WebhookDelivery", prisma.webhookDelivery.deleteMany({ where: { shop } })],
    ["Session", prisma.session.deleteMany({ where: { shop } })],
    ["ShopSettings", prisma.shopSettings.deleteMany({ where: { shop } })],
    ["Campaign", prisma.campaign.deleteMany({ where: { shop } })],
    ["OutboxMessage", prisma.outboxMessage.deleteMany({ where: { shop } })],
    ["Flow", prisma.flow.deleteMany({ where: { shop } })],
    ["FlowEnrollment", prisma.flowEnrollment.deleteMany({ where: { shop } })],
    ["Suppression", prisma.suppression.deleteMany({ where: { shop } })],
    ["ChannelConfig", prisma.channelConfig.deleteMany({ where: { shop } })],
    ["TrackedLink", prisma.trackedLink.deleteMany({ where: { shop } })],
    ["MessageEvent", prisma.messageEvent.deleteMany({ where: { shop } })],
    ["OrderAttribution", prisma.orderAttribution.deleteMany({ where: { shop } })],
    ["ResultsProgress", prisma.resultsProgress.deleteMany({ where: { shop } })],
    ["MarketingReportDay", prisma.marketingReportDay.deleteMany({ where: { shop } })],
    ["ConsentRecord", prisma.consentRecord.deleteMany({ where: { shop } })],
    ["ConsentDisclosure", prisma.consentDisclosure.deleteMany({ where: { shop } })],
    ["SignupAttempt", prisma.signupAttempt.deleteMany({ where: { shop } })],
    ["Shop", prisma.shop.deleteMany({ where: { domain: shop } })],
  ] as const;
  const results = await prisma.$transaction(deletes.map(([, del]) => del));
  return Object.fromEntries(deletes.map(([table], i) => [table, results[i]?.count ?? 0]));
}

export interface DataRequestSummary {
  id: string;
  customerId: string;
  requestedAt: Date;
}

/** The shop's stored data requests, newest first (without the exports themselves), with the customer's name as stored now. */
export async function listDataRequests(
  prisma: Pick<PrismaClient, "dataRequest" | "customer">,
  shop: string,
): Promise<Array<DataRequestSummary & { firstName: string | null; lastName: string | null }>> {
  const rows = await prisma.dataRequest.findMany({
    where: { shop },
    orderBy: { requestedAt: "desc" },
    select: { id: true, customerId: true, requestedAt: true },
  });
  const customers = await prisma.customer.findMany({
    where: { shop, id: { in: [...new Set(rows.map((row) => row.customerId))] } },
    select: { id: true, firstName: true, lastName: true },
  });
  const names = new Map(customers.map((c) => [c.id, c]));
  return rows.map((row) => ({
    id: row.id,
    customerId: row.customerId.toString(),
    requestedAt: row.requestedAt,
    firstName: names.get(row.customerId)?.firstName ?? null,
    lastName: names.get(row.customerId)?.lastName ?? null,
  }));
}

/** One export of the shop, or null (also for another shop's id). */
export async function getDataRequest(
  prisma: Pick<PrismaClient, "dataRequest">,
  shop: string,
  id: string,
): Promise<(DataRequestSummary & { export: CustomerExport }) | null> {
  const row = await prisma.dataRequest.findFirst({ where: { shop, id } });
  if (!row) return null;
  return {
    id: row.id,
    customerId: row.customerId.toString(),
    requestedAt: row.requestedAt,
    // JSON from the database is validated again when read.
    export: CustomerExport.parse(row.export),
  };
}
