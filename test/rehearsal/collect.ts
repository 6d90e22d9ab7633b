import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { enrollmentIdFor, flowIdFor } from "../../app/flows/ids";
import { BUILT_IN_FLOW_KEYS, BUILT_IN_FLOWS } from "../../app/flows/built-in";
import { nextAllowedSend, quietHoursFor } from "../../app/messaging/rules/quiet-hours";
import { chooseTimeZone } from "../../app/messaging/rules/send-time";
import { DEFAULT_AUDIENCE_SETTINGS } from "../../app/messaging/rules/settings";
import type { SinkChannel, Sinks } from "../emulator/sinks";
import type { CatalogueItem, TimedRequest } from "./deliveries";
import type { Answer } from "./load";
import type { Profile } from "./profile";
import type { DueStep, FactsMessage, RehearsalFacts, SlowDelivery } from "./facts";
import { EXIT_ON_ORDER, MAX_MESSAGES } from "./setup";

// Reads what the app stored and the sinks received into the report's facts, after the run.

export interface RunRecord {
  shop: string;
  shopTimeZone: string;
  t0: number;
  profile: Profile;
  checkoutIds: Map<number, string>;
  customerIdOf: (index: number) => string;
  catalogue: readonly CatalogueItem[];
  requests: readonly TimedRequest[];
  answers: readonly Answer[];
  backlog: RehearsalFacts["backlog"];
  outages: RehearsalFacts["outages"];
}

const SINK: Record<string, SinkChannel> = { email: "smtp", sms: "twilio", webhook: "webhook" };
const Shown = z.object({
  checkout: z.object({ lines: z.array(z.object({ title: z.string() })) }).nullish(),
  products: z.array(z.object({ title: z.string() })).optional(),
});

export async function collectFacts(
  prisma: PrismaClient,
  sinks: Sinks,
  run: RunRecord,
  endedAt: number,
  settleMs: number,
): Promise<RehearsalFacts> {
  const { shop } = run;
  const flowOf = new Map(BUILT_IN_FLOW_KEYS.map((key) => [flowIdFor(shop, key), key]));
  const rows = await prisma.outboxMessage.findMany({
    where: { shop, campaignId: { in: [...flowOf.keys()] } },
  });
  const customers = await prisma.customer.findMany({
    where: { shop },
    select: { id: true, timeZone: true, countryCode: true, provinceCode: true },
  });
  const customer = new Map(customers.map((c) => [c.id.toString(), c]));
  const zoneOf = (id: string) => chooseTimeZone(customer.get(id)?.timeZone, run.shopTimeZone).timeZone;
  const messages: FactsMessage[] = rows.map((r) => {
    const shown = Shown.safeParse(r.payload ?? {});
    const titles = shown.success
      ? [...(shown.data.checkout?.lines ?? []), ...(shown.data.products ?? [])].map((l) => l.title)
      : [];
    const sink = SINK[r.channel];
    return {
      id: r.id,
      flowKey: flowOf.get(r.campaignId) ?? r.campaignId,
      sendKey: r.sendKey,
      enrollmentId: r.enrollmentId,
      customerId: r.customerId.toString(),
      channel: r.channel,
      status: r.status,
      skipReason: r.skipReason,
      createdAt: r.createdAt.getTime(),
      // the provider's acceptance, not the outbox's bookkeeping at the end of the sender's batch
      sentAt:
        r.sentAt === null
          ? null
          : ((sink ? sinks.firstAcceptedAt(sink, r.id) : undefined) ?? r.sentAt.getTime()),
      sendAt: r.sendAt?.getTime() ?? null,
      timeZone: zoneOf(r.customerId.toString()),
      titles,
      receipts: sink ? sinks.countFor(sink, r.id) : 0,
      lastError: r.lastError,
    };
  });

  // The steps whose due time the profile chose.
  const dueSteps: DueStep[] = [];
  const smsDue = (customerId: string, dueAt: number) => {
    const c = customer.get(customerId);
    const quiet = quietHoursFor(
      { countryCode: c?.countryCode ?? null, provinceCode: c?.provinceCode ?? null },
      zoneOf(customerId),
      DEFAULT_AUDIENCE_SETTINGS,
    );
    return nextAllowedSend({ desired: new Date(dueAt), now: new Date(dueAt), quietHours: quiet }).getTime();
  };
  const step = (
    flowKey: string,
    trigger: string,
    customerId: string,
    sendKey: string,
    dueAt: number,
    earliestAt = dueAt,
  ) =>
    dueSteps.push({
      enrollmentId: enrollmentIdFor(shop, flowKey, trigger),
      sendKey,
      dueAt,
      smsDueAt: smsDue(customerId, dueAt),
      earliestAt,
    });
  for (const s of run.profile.sessions) {
    const checkout = run.checkoutIds.get(s.session);
    if (s.customer === null || checkout === undefined) continue;
    const id = run.customerIdOf(s.customer);
    if (s.kind === "yesterday" && s.reminderDueAt !== null)
      step("abandoned_checkout", checkout, id, "abandoned_checkout.reminder", run.t0 + s.reminderDueAt);
    else
      step(
        "abandoned_checkout",
        checkout,
        id,
        "abandoned_checkout.first",
        run.t0 + s.firstDueAt,
        run.t0 + s.firstDueEarliest,
      );
  }
  const welcomed = new Set<string>();
  for (const e of run.profile.run)
    if (e.kind === "consent" && e.subscribed && !welcomed.has(run.customerIdOf(e.customer))) {
      const id = run.customerIdOf(e.customer);
      welcomed.add(id);
      step("welcome", id, id, "welcome.first", run.t0 + e.at);
    }

  // Orders start the post-purchase cross-sell, due days later: nothing of it may go out in the run.
  const crossSellWait = BUILT_IN_FLOWS.post_purchase_cross_sell.delays[0]?.default ?? 0;
  for (const r of run.requests)
    if (r.topic === "orders/create" && r.orderId && r.customerId) {
      step(
        "post_purchase_cross_sell",
        r.orderId,
        r.customerId,
        "post_purchase.cross_sell",
        r.atMs + crossSellWait * 60_000,
      );
    }

  // Every delivery of the shop at once: a peak's ids are too many for one query's parameters.
  const deliveries = new Map(
    (
      await prisma.webhookDelivery.findMany({
        where: { shop },
        select: { id: true, topic: true, status: true, attempts: true, receivedAt: true, processedAt: true },
      })
    ).map((d) => [d.id, d]),
  );
  const ok = run.answers.filter((a) => a.status === 200).map((a) => a.webhookId);
  const processed = ok.filter((id) => deliveries.get(id)?.status === "processed").length;
  const orderRequests = new Map(
    run.requests.filter((r) => r.topic === "orders/create").map((r) => [r.webhookId, r.customerId ?? ""]),
  );
  const receipts = [...orderRequests.keys()].flatMap((id) => {
    const delivery = deliveries.get(id);
    return delivery ? [delivery] : [];
  });
  const transitions = await prisma.segmentTransition.findMany({
    where: { shop, at: { gte: new Date(run.t0 - 60_000) } },
    select: { customerId: true, at: true },
  });
  const enrollments = await prisma.flowEnrollment.findMany({ where: { shop } });
  const orders = await prisma.order.findMany({
    where: { shop, shopifyCreatedAt: { gte: new Date(run.t0 - 3_600_000) } },
    select: { id: true, customerId: true, shopifyCreatedAt: true, syncedAt: true },
  });
  // An order is visible to the senders once its delivery's transaction ended, not when it began
  // (syncedAt, the transaction's start, can be seconds earlier): the first delivery that applied it.
  const appliedAt = new Map<string, number>();
  for (const r of run.requests) {
    const at = r.orderId ? deliveries.get(r.webhookId)?.processedAt?.getTime() : undefined;
    if (r.orderId && at !== undefined)
      appliedAt.set(r.orderId, Math.min(at, appliedAt.get(r.orderId) ?? Infinity));
  }

  // Sold out during the run: known to the app from when it stored the product (a title that another
  // product still in stock shares cannot be told apart in a message, and is left out).
  const soldIds = run.profile.soldOut.flatMap((p) => {
    const item = run.catalogue[p];
    return item ? [BigInt(item.legacyId)] : [];
  });
  const sold = await prisma.product.findMany({
    where: { shop, id: { in: soldIds } },
    select: { title: true, inStock: true, syncedAt: true },
  });
  const titles = sold.map((p) => p.title);
  const sharing = await prisma.product.findMany({
    where: { shop, title: { in: titles }, id: { notIn: soldIds } },
    select: { title: true },
  });
  const ambiguous = new Set(sharing.map((p) => p.title));

  return {
    startedAt: run.t0,
    endedAt,
    settleMs,
    answers: run.answers,
    backlog: run.backlog,
    slowestDeliveries: slowest(deliveries.values(), endedAt),
    webhooksNotProcessed: ok.length - processed,
    orderReceipts: receipts.map((r) => ({
      customerId: orderRequests.get(r.id) ?? "",
      receivedAt: r.receivedAt.getTime(),
    })),
    transitions: transitions.map((t) => ({ customerId: t.customerId.toString(), at: t.at.getTime() })),
    dueSteps,
    messages,
    enrollments: enrollments.map((e) => ({
      id: e.id,
      flowKey: e.flowKey,
      customerId: e.customerId.toString(),
      triggeredAt: e.triggeredAt.getTime(),
      status: e.status,
      wakeAt: e.wakeAt?.getTime() ?? null,
      enteredAt: e.createdAt.getTime(),
    })),
    orders: orders.flatMap((o) =>
      o.customerId === null
        ? []
        : [
            {
              customerId: o.customerId.toString(),
              placedAt: o.shopifyCreatedAt.getTime(),
              storedAt: appliedAt.get(o.id.toString()) ?? o.syncedAt.getTime(),
            },
          ],
    ),
    soldOut: sold
      .filter((p) => !p.inStock && !ambiguous.has(p.title))
      .map((p) => ({ title: p.title, knownAt: p.syncedAt.getTime() })),
    maxMessages: MAX_MESSAGES,
    outages: run.outages,
    exitOnOrder: EXIT_ON_ORDER,
  };
}

function slowest(
  deliveries: Iterable<{
    topic: string;
    status: string;
    attempts: number;
    receivedAt: Date;
    processedAt: Date | null;
  }>,
  endedAt: number,
): SlowDelivery[] {
  return [...deliveries]
    .map((d) => ({
      wait: (d.processedAt?.getTime() ?? endedAt) - d.receivedAt.getTime(),
      delivery: {
        topic: d.topic,
        receivedAt: d.receivedAt.toISOString(),
        appliedMs: d.processedAt ? d.processedAt.getTime() - d.receivedAt.getTime() : null,
        status: d.status,
        attempts: d.attempts,
      },
    }))
    .sort((a, b) => b.wait - a.wait)
    .slice(0, 10)
    .map((d) => d.delivery);
}
