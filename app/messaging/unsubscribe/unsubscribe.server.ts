import type { PrismaClient } from "@prisma/client";
import type { JobQueue } from "../../jobs/queue";
import { consentWriteBackJob } from "./jobs.server";
import { recordMessageEvent, type MessageEventDb } from "../delivery-events/message-events.server";
import {
  UnsubscribeTokenError,
  verifyUnsubscribeToken,
  type UnsubscribeChannel,
  type UnsubscribeTokenErrorCode,
} from "./unsubscribe-token.server";

// What an unsubscribe link does (app/routes/unsubscribe.$token.tsx): the signed token names the
// shop, customer and channel. Unsubscribing adds a suppression (what the audience checks before
// any send), marks the customer's consent locally, and queues the write-back to Shopify. Every step
// is idempotent: a second click, a mail provider's one-click POST and the page's button end the same.

export type UnsubscribeDb = Pick<PrismaClient, "$transaction" | "shop" | "customer" | "suppression">;

export interface UnsubscribeLink {
  shop: string;
  /** the shop's name as Shopify reported it, else its myshopify domain */
  shopName: string;
  customerId: bigint;
  channel: UnsubscribeChannel;
  /** the customer is already unsubscribed from this channel here */
  unsubscribed: boolean;
  /** the message the link was sent in (older links name their campaign send) */
  sendId: string;
}

export type ReadLinkResult =
  | { ok: true; link: UnsubscribeLink; installed: boolean }
  /** `reason` is for logs: the page says the same for each, so it teaches a forger nothing */
  | {
      ok: false;
      reason: UnsubscribeTokenErrorCode | "BAD_CUSTOMER_ID" | "UNKNOWN_SHOP" | "UNKNOWN_CUSTOMER";
    };

/** `gid://shopify/Customer/123` or `123`. */
function legacyCustomerId(value: string): bigint | undefined {
  const digits = /^(?:gid:\/\/shopify\/Customer\/)?(\d{1,20})$/.exec(value)?.[1];
  return digits === undefined ? undefined : BigInt(digits);
}

/** Verifies the token and finds its shop and customer; changes nothing. */
export async function readUnsubscribeLink(
  prisma: UnsubscribeDb,
  token: unknown,
  secret: Uint8Array | string,
): Promise<ReadLinkResult> {
  let claims;
  try {
    claims = verifyUnsubscribeToken(token, secret);
  } catch (error) {
    if (error instanceof UnsubscribeTokenError) return { ok: false, reason: error.code };
    throw error;
  }
  const customerId = legacyCustomerId(claims.customerId);
  if (customerId === undefined) return { ok: false, reason: "BAD_CUSTOMER_ID" };
  const [shop, customer, suppression] = await Promise.all([
    prisma.shop.findUnique({ where: { domain: claims.shop }, select: { name: true, uninstalledAt: true } }),
    prisma.customer.findUnique({
      where: { shop_id: { shop: claims.shop, id: customerId } },
      select: { id: true },
    }),
    prisma.suppression.findUnique({
      where: {
        shop_customerId_channel_reason: {
          shop: claims.shop,
          customerId,
          channel: claims.channel,
          reason: "unsubscribed",
        },
      },
      select: { createdAt: true },
    }),
  ]);
  if (!shop) return { ok: false, reason: "UNKNOWN_SHOP" };
  if (!customer) return { ok: false, reason: "UNKNOWN_CUSTOMER" };
  return {
    ok: true,
    installed: shop.uninstalledAt === null,
    link: {
      shop: claims.shop,
      shopName: shop.name?.trim() || claims.shop,
      customerId,
      channel: claims.channel,
      unsubscribed: suppression !== null,
      sendId: claims.sendId,
    },
  };
}

export interface RecordDeps {
  prisma: UnsubscribeDb;
  queue: Pick<JobQueue, "enqueue">;
  now?: () => Date;
}

/**
 * Records the unsubscribe and queues the write-back to Shopify (skipped for an uninstalled shop:
 * there is no access to write with, and nothing is sent for it any more). Returns when it was
 * first recorded. A spam complaint (`reason` "complained", delivery-events/) unsubscribes the same
 * way under its own suppression reason.
 */
export async function recordUnsubscribe(
  deps: RecordDeps,
  link: Pick<UnsubscribeLink, "shop" | "customerId" | "channel">,
  installed: boolean,
  reason: "unsubscribed" | "complained" = "unsubscribed",
): Promise<{ at: Date; queued: boolean }> {
  const now = deps.now?.() ?? new Date();
  const { shop, customerId, channel } = link;
  const key = { shop, customerId, channel, reason };
  const consent =
    channel === "email"
      ? { emailMarketingState: "UNSUBSCRIBED", emailConsentUpdatedAt: now }
      : { smsMarketingState: "UNSUBSCRIBED", smsConsentUpdatedAt: now };
  const notYet =
    channel === "email"
      ? { OR: [{ emailMarketingState: null }, { emailMarketingState: { not: "UNSUBSCRIBED" } }] }
      : { OR: [{ smsMarketingState: null }, { smsMarketingState: { not: "UNSUBSCRIBED" } }] };
  const [suppression] = await deps.prisma.$transaction([
    deps.prisma.suppression.upsert({
      where: { shop_customerId_channel_reason: key },
      create: { ...key, createdAt: now },
      update: {},
      select: { createdAt: true },
    }),
    deps.prisma.customer.updateMany({ where: { shop, id: customerId, ...notYet }, data: consent }),
  ]);
  if (!installed) return { at: suppression.createdAt, queued: false };
  await deps.queue.enqueue(
    consentWriteBackJob,
    { shop, customerId: String(customerId), channel, at: suppression.createdAt.toISOString() },
    { shop },
  );
  return { at: suppression.createdAt, queued: true };
}

/** Counts the unsubscribe against the message whose link it came from, when the link names one. */
export async function recordUnsubscribeEvent(
  prisma: Pick<PrismaClient, "outboxMessage"> & MessageEventDb,
  link: Pick<UnsubscribeLink, "shop" | "customerId" | "sendId">,
  at: Date,
): Promise<void> {
  const message = await prisma.outboxMessage.findFirst({
    where: { id: link.sendId, shop: link.shop, customerId: link.customerId },
    select: { id: true, shop: true, campaignId: true, customerId: true },
  });
  if (message) await recordMessageEvent(prisma, message, { kind: "unsubscribed", at });
}
