import type { PrismaClient } from "@prisma/client";
import { templateProduct, type Storefront } from "../messaging/products/catalogue";
import type { QueuedMessage } from "../messaging/queue-messages.server";
import type { SendRecord } from "../messaging/rules/caps";
import type { AudienceSettings } from "../messaging/rules/settings";
import { shopInfo } from "../messaging/templates/shop-info.server";
import type { MessagePayload, TemplateProduct } from "../messaging/templates/variables";
import { isSegment } from "../segments/rules";
import { decideStep, type StepDecision } from "./decide";
import type { FlowDefinition } from "./definition";
import { flowIdFor } from "./ids";
import type { DueStep, Enrollment, FlowRow, MessageContent } from "./model";
import { loadShopFlows } from "./shop-flows.server";
import { factsKey, loadStepFacts } from "./step-facts.server";
import { storeDecisions, type DecidedStep, type Finish } from "./store-decisions.server";
import { flowTimeZone } from "./timing";

// The durable timers: enrollments whose step is due are claimed under a lease (FOR UPDATE SKIP
// LOCKED, so workers never take the same one), decided against facts read just now, and each step's
// messages handed to the messaging stage under their idempotency key, together with the next timer,
// in one transaction fenced on the lease. A worker killed mid-step leaves its lease to expire; the
// next one decides the step again and hands over the same keys, which the outbox stores once.

export interface FlowRunDeps {
  prisma: PrismaClient;
  now: () => Date;
  audienceFor: (shop: string) => Promise<AudienceSettings>;
  /** starts the flow's dispatch lanes at once (the dispatcher's sweep would within seconds) */
  kick?: (shop: string, flowId: string) => Promise<unknown>;
  log: (line: string) => void;
}

export interface RunReport {
  claimed: number;
  decided: number;
  queued: number;
}

interface Claimed {
  id: string;
  shop: string;
  flowKey: string;
  triggerEntityId: string;
  customerId: bigint;
  triggeredAt: Date;
  triggerSegment: string | null;
  holdout: boolean;
  stepIndex: number;
  dueAt: Date;
  wakeAt: Date;
  decided: string[];
  leaseUntil: Date;
}

export async function runDueSteps(
  deps: FlowRunDeps,
  { limit = 200, leaseMs = 30_000 } = {},
): Promise<RunReport> {
  const now = deps.now();
  const claimed = await deps.prisma.$queryRawUnsafe<Claimed[]>(
    `WITH due AS (
       SELECT id FROM "FlowEnrollment"
       WHERE status = 'waiting' AND "wakeAt" <= $1::timestamptz AT TIME ZONE 'UTC'
         AND ("leaseUntil" IS NULL OR "leaseUntil" < $1::timestamptz AT TIME ZONE 'UTC')
       ORDER BY "wakeAt", id LIMIT $2 FOR UPDATE SKIP LOCKED)
     UPDATE "FlowEnrollment" e SET "leaseUntil" = $3::timestamptz AT TIME ZONE 'UTC'
     FROM due WHERE e.id = due.id
     RETURNING e.id, e.shop, e."flowKey", e."triggerEntityId", e."customerId", e."triggeredAt", e."triggerSegment",
       e.holdout, e."stepIndex", e."dueAt", e."wakeAt", e.decided, e."leaseUntil"`,
    now.toISOString(),
    limit,
    new Date(now.getTime() + leaseMs).toISOString(),
  );
  const report: RunReport = { claimed: claimed.length, decided: 0, queued: 0 };
  const byShop = new Map<string, Claimed[]>();
  // decided in a fixed order (a customer's earlier step of the batch caps the later one): due time, then id
  const ordered = [...claimed].sort(
    (a, b) => a.wakeAt.getTime() - b.wakeAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  for (const c of ordered) byShop.set(c.shop, [...(byShop.get(c.shop) ?? []), c]);
  for (const [shop, items] of byShop) {
    const done = await runShop(deps, shop, items, now);
    report.decided += done.decided;
    report.queued += done.queued;
  }
  return report;
}

async function runShop(deps: FlowRunDeps, shop: string, items: Claimed[], now: Date) {
  const flows = new Map((await loadShopFlows(deps.prisma, shop)).map((f) => [f.key, f]));
  const audience = await deps.audienceFor(shop);
  const requests = items.map((c) => ({
    customerId: c.customerId,
    checkoutId:
      c.flowKey === "abandoned_checkout" && /^\d+$/.test(c.triggerEntityId)
        ? BigInt(c.triggerEntityId)
        : null,
  }));
  const facts = await loadStepFacts(deps.prisma, shop, requests, audience, now);
  // messages queued by this batch, per customer: the caps of the batch's later steps count them
  const queuedNow = new Map<string, SendRecord[]>();
  const info = await shopInfo(deps.prisma, shop);
  const storefront: Storefront = { domain: info.domain, currencyCode: info.currencyCode };
  const decided: Array<DecidedStep & { flowKey: string; content: MessageContent | null }> = [];
  for (const [i, c] of items.entries()) {
    const flow = flows.get(c.flowKey);
    const request = requests[i];
    const loaded = request ? facts.get(factsKey(request)) : undefined;
    const earlier = queuedNow.get(c.customerId.toString()) ?? [];
    const stepFacts =
      loaded && earlier.length > 0 ? { ...loaded, capsHistory: [...loaded.capsHistory, ...earlier] } : loaded;
    const base = { enrollmentId: c.id, leaseUntil: c.leaseUntil, flowKey: c.flowKey };
    if (!flow || !stepFacts) {
      const exitReason = flow ? "customer_missing" : "unknown_flow";
      decided.push({ ...base, to: { status: "exited", exitReason }, messages: [], content: null });
      continue;
    }
    const enrollment: Enrollment = {
      id: c.id,
      shop,
      flowKey: c.flowKey,
      triggerEntityId: c.triggerEntityId,
      customerId: c.customerId.toString(),
      triggeredAt: c.triggeredAt,
      triggerSegment: c.triggerSegment !== null && isSegment(c.triggerSegment) ? c.triggerSegment : null,
      holdout: c.holdout,
    };
    const due: DueStep = {
      index: c.stepIndex,
      dueAt: c.dueAt,
      wakeAt: c.wakeAt,
      decided: c.decided.filter(isChannelName),
    };
    // Branches take no time: follow them to the next step that does something.
    let decision: StepDecision = decideStep(flow, enrollment, due, stepFacts, now);
    for (
      let hops = 0;
      decision.kind === "branch" && decision.next && decision.next.wakeAt <= now && hops < 20;
      hops++
    )
      decision = decideStep(flow, enrollment, decision.next, stepFacts, now);
    const content = "content" in decision && decision.content ? decision.content : null;
    const messages = rowsOf(decision).map((row) =>
      // the zone the step was decided in (the shop's for a customer without one): dispatch checks
      // the quiet hours again in it
      message(
        shop,
        flow,
        row,
        stepFacts.customer.segment ?? "none",
        flowTimeZone(stepFacts.customer.timeZone, stepFacts.shop.timeZone),
        now,
      ),
    );
    decided.push({ ...base, to: next(decision), messages, content });
    const queued = messages.flatMap((m) =>
      m.status === "queued" && m.sendAt ? [{ campaign: c.id, channel: m.channel, at: m.sendAt }] : [],
    );
    if (queued.length > 0 && flow.countsTowardCaps)
      queuedNow.set(c.customerId.toString(), [...earlier, ...queued]);
  }
  // A queued message carries its own content (cart lines, discount, products); the others none.
  const payloads = await payloadsOf(
    deps.prisma,
    shop,
    decided.map((d) => d.content),
    storefront,
  );
  const steps = decided.map((d, i) => {
    const payload = payloads[i] ?? null;
    return { ...d, messages: d.messages.map((m) => (m.status === "queued" ? { ...m, payload } : m)) };
  });
  const { held, queued } = await deps.prisma.$transaction((tx) => storeDecisions(tx, steps));
  const kicks = new Set(
    steps.flatMap((s) =>
      held.has(s.enrollmentId) && s.messages.some((m) => m.status === "queued")
        ? [flowIdFor(shop, s.flowKey)]
        : [],
    ),
  );
  for (const flowId of kicks) await deps.kick?.(shop, flowId).catch(() => undefined);
  return { decided: held.size, queued };
}

const isChannelName = (value: string): value is "email" | "sms" | "webhook" =>
  value === "email" || value === "sms" || value === "webhook";

function rowsOf(decision: StepDecision): FlowRow[] {
  return decision.kind === "branch" ? [] : decision.rows;
}

function next(decision: StepDecision): Finish {
  switch (decision.kind) {
    case "exit":
      return { status: "exited", exitReason: decision.reason };
    case "hold":
      return { status: "waiting", step: decision.next };
    case "send":
    case "skip":
    case "branch":
      return decision.next ? { status: "waiting", step: decision.next } : { status: "done" };
    default: {
      const never: never = decision;
      throw new Error(`unknown decision ${JSON.stringify(never)}`);
    }
  }
}

function message(
  shop: string,
  flow: FlowDefinition,
  row: FlowRow,
  segment: string,
  timeZone: string,
  now: Date,
): QueuedMessage {
  const status = row.skipReason === null ? "queued" : row.skipReason === "holdout" ? "holdout" : "skipped";
  return {
    id: row.messageKey,
    shop,
    sourceId: flowIdFor(shop, flow.key),
    sendKey: templateKeyOf(flow, row),
    customerId: BigInt(row.customerId),
    segment,
    channel: row.channel,
    status,
    skipReason: row.skipReason,
    sendAt: row.sendAt ?? (status === "queued" ? now : null),
    timeZone,
    enrollmentId: row.enrollmentId,
    payload: null,
    countsTowardCaps: flow.countsTowardCaps,
  };
}

function templateKeyOf(flow: FlowDefinition, row: FlowRow): string {
  const walk = (steps: FlowDefinition["steps"]): string | null => {
    for (const step of steps) {
      if (step.kind === "send" && step.id === row.stepId) return step.template;
      if (step.kind === "branch") {
        const found =
          (Array.isArray(step.then) ? walk(step.then) : null) ??
          (Array.isArray(step.else) ? walk(step.else) : null);
        if (found) return found;
      }
    }
    return null;
  };
  return walk(flow.steps) ?? row.stepId;
}

/**
 * What each step's messages show beyond the flow's shared content: the cart's in-stock lines, a
 * discount, products (read for the whole batch at once); null for a step without content.
 */
async function payloadsOf(
  prisma: Pick<PrismaClient, "product">,
  shop: string,
  contents: ReadonlyArray<MessageContent | null>,
  storefront: Storefront,
): Promise<Array<MessagePayload | null>> {
  const ids = [...new Set(contents.flatMap((c) => c?.productIds ?? []))];
  const rows =
    ids.length > 0 ? await prisma.product.findMany({ where: { shop, id: { in: ids.map(BigInt) } } }) : [];
  const byId = new Map(rows.map((r) => [r.id.toString(), r]));
  const productOf = (id: string): TemplateProduct | null => {
    const p = byId.get(id);
    return p
      ? templateProduct(
          {
            id,
            title: p.title,
            handle: p.handle,
            productType: p.productType,
            tags: p.tags,
            priceMinor: p.priceMinor.toString(),
            currencyCode: p.currencyCode,
            imageUrl: p.imageUrl,
            salesCount: p.salesCount,
            sellable: true,
          },
          storefront,
        )
      : null;
  };
  return contents.map((content) => {
    if (!content) return null;
    const products =
      content.productIds.length > 0 ? content.productIds.flatMap((id) => productOf(id) ?? []) : undefined;
    return {
      checkout:
        content.recoveryUrl !== null || content.lines.length > 0
          ? {
              url: content.recoveryUrl,
              lines: content.lines.map((l) => ({
                title: (l.title ?? "").slice(0, 255) || "Item",
                quantity: l.quantity,
                price: l.price,
              })),
            }
          : null,
      discount:
        content.discount && content.discount.percentOff
          ? { code: content.discount.code, percent: content.discount.percentOff }
          : null,
      ...(products ? { products } : {}),
    };
  });
}
