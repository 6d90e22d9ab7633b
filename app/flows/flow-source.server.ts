import type { PrismaClient } from "@prisma/client";
import type { MessageSource, SourceContent, SourceState } from "../messaging/dispatch/source";
import { RenderCache } from "../messaging/dispatch/render-cache";
import type { AudienceSettings } from "../messaging/rules/settings";
import { shopInfo } from "../messaging/templates/shop-info.server";
import type { SharedVariables, TemplateDelivery } from "../messaging/templates/variables";
import { BUILT_IN_FLOWS, BUILT_IN_FLOW_KEYS, type BuiltInFlowKey } from "./built-in";
import { withdrawnFlowMessages } from "./flow-withdrawals.server";
import { flowTemplateFor, readSavedFlowTemplates } from "./templates";

// Flows as a source of messages for the dispatcher: a flow that is on sends; off or paused, its
// lanes stop. A flow message's own content (the cart, a discount) is in its outbox row's payload;
// what all its messages share is built once per version of the Flow row and per UTC day.

interface FlowSourceDeps {
  prisma: Pick<
    PrismaClient,
    "flow" | "shop" | "$executeRawUnsafe" | "outboxMessage" | "flowEnrollment" | "order" | "checkout" | "product"
  >;
  now: () => Date;
  /** the shop's SMS hours (the shared send rules, stored with the campaign settings) */
  audienceFor: (shop: string) => Promise<AudienceSettings>;
  /** the delivery promise a message sent now can make (the shop's shipping cut-offs), or none */
  deliveryFor: (shop: string, now: Date) => Promise<TemplateDelivery | null>;
  log: (line: string) => void;
}

// Shared content is rebuilt at least this often, so a delivery promise stops soon after its cut-off.
const CONTENT_TTL_MS = 10 * 60_000;

const isBuiltIn = (key: string): key is BuiltInFlowKey => BUILT_IN_FLOW_KEYS.some((k) => k === key);

export function flowSource(deps: FlowSourceDeps): MessageSource {
  const { prisma } = deps;
  const cache = new Map<string, { version: string; content: SourceContent | null; problem: string | null }>();

  async function build(shop: string, key: string, templates: unknown): Promise<SourceState & { found: true }> {
    if (!isBuiltIn(key)) return { found: true, status: "on", content: null, problem: `unknown flow ${key}` };
    // a saved template that no longer validates is dropped: its step sends the default
    const saved = readSavedFlowTemplates(templates);
    const info = await shopInfo(prisma, shop);
    const variables: SharedVariables = {
      shop: info,
      event: { name: BUILT_IN_FLOWS[key].definition.name, date: deps.now().toISOString().slice(0, 10) },
      deadline: null,
      delivery: await deps.deliveryFor(shop, deps.now()),
      discount: null,
      products: [],
    };
    const content: SourceContent = {
      variables,
      endsAt: null,
      audience: await deps.audienceFor(shop),
      includeProducts: false,
      utmCampaign: key,
      renders: new RenderCache(variables),
      templateFor: (sendKey, channel) => flowTemplateFor(saved, sendKey, channel),
    };
    return { found: true, status: "on", content, problem: null };
  }

  return {
    sendingStatuses: new Set(["on"]),
    withdrawn: (shop, _flowId, rows) => withdrawnFlowMessages(deps.prisma, shop, rows, deps.now()),
    async load(shop, flowId): Promise<SourceState> {
      const row = await prisma.flow.findFirst({
        where: { id: flowId, shop },
        select: { key: true, status: true, templates: true, updatedAt: true },
      });
      if (!row) return { found: false };
      const version = `${row.updatedAt.getTime()}:${Math.floor(deps.now().getTime() / CONTENT_TTL_MS)}`;
      let entry = cache.get(flowId);
      if (!entry || entry.version !== version) {
        const built = await build(shop, row.key, row.templates);
        entry = { version, content: built.content, problem: built.problem };
        if (cache.size >= 1_000) cache.clear();
        cache.set(flowId, entry);
      }
      return { found: true, status: row.status, content: entry.content, problem: entry.problem };
    },
    async status(shop, flowId) {
      const row = await prisma.flow.findFirst({ where: { id: flowId, shop }, select: { status: true } });
      return row?.status ?? null;
    },
    sending: () => prisma.flow.findMany({ where: { status: "on" }, select: { id: true, shop: true } }),
    // a flow has no "sending" state and never completes: it stays on until the merchant turns it off
    started: async () => undefined,
    drained: async () => ({ changed: false }),
    async pause(shop, flowId, reason) {
      const changed = await prisma.$executeRawUnsafe(
        `UPDATE "Flow" SET status = 'paused', "pausedReason" = $3, "updatedAt" = now() AT TIME ZONE 'UTC'
         WHERE id = $1 AND shop = $2 AND status = 'on'`,
        flowId,
        shop,
        reason,
      );
      if (changed > 0) deps.log(`flow ${flowId} (${shop}) paused: ${reason}`);
      return { changed: changed > 0 };
    },
  };
}
