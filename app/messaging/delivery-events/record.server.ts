import type { PrismaClient } from "@prisma/client";
import type { SuppressionReason } from "../rules/channels";
import type { SecretBox } from "../channels/secret-box.server";
import type { JobQueue } from "../../jobs/queue";
import type { MessageSource } from "../dispatch/source";
import { recordUnsubscribe } from "../unsubscribe/unsubscribe.server";

// What a delivery report changes: the customer's suppression on the channel (written once: shop,
// customer, channel and reason are the table's key, so a repeated report adds nothing) and a note
// on the message for the message log. A complaint also unsubscribes, as the one-click link does.

export type DeliveryEventDb = Pick<
  PrismaClient,
  | "$transaction"
  | "$queryRawUnsafe"
  | "$executeRawUnsafe"
  | "$executeRaw"
  | "outboxMessage"
  | "suppression"
  | "shop"
  | "customer"
  | "channelConfig"
  | "campaign"
  | "shopSettings"
>;

export type DeliveryEventLog = (
  level: "info" | "warn",
  message: string,
  fields: Record<string, string | number | boolean | null | undefined>,
) => void;

export interface DeliveryEventDeps {
  prisma: DeliveryEventDb;
  /** opens the shop's sealed channel settings (the Twilio auth token, the email events secret) */
  box: SecretBox;
  /** SHOPIFY_APP_URL: the public origin providers were given */
  appUrl: string;
  /** the consent write-back of complaints */
  queue: Pick<JobQueue, "enqueue">;
  /** what sent the messages: a campaign with too many complaints is paused */
  source: Pick<MessageSource, "pause">;
  /** the hours between two texts to one customer, for the HELP reply */
  smsCapHours: (shop: string) => Promise<number | null>;
  now?: () => Date;
  /** ids, statuses and codes only: never addresses or phone numbers */
  log: DeliveryEventLog;
}

export interface ReportedMessage {
  id: string;
  shop: string;
  campaignId: string;
  customerId: bigint;
  providerId: string | null;
}

export function findReportedMessage(
  prisma: DeliveryEventDb,
  shop: string,
  channel: "email" | "sms",
  id: string,
): Promise<ReportedMessage | null> {
  return prisma.outboxMessage.findFirst({
    where: { id, shop, channel },
    select: { id: true, shop: true, campaignId: true, customerId: true, providerId: true },
  });
}

const noteOn = (prisma: DeliveryEventDb, shop: string, id: string, note: string) =>
  prisma.outboxMessage.updateMany({
    where: { id, shop, OR: [{ lastError: null }, { lastError: { not: note } }] },
    data: { lastError: note },
  });

export interface ReportedSuppression {
  shop: string;
  message: ReportedMessage;
  channel: "email" | "sms";
  reason: SuppressionReason;
  /** the message log's text for it (suppression.ts) */
  note: string;
}

/** Records what the report says; `created` is false when the suppression was already there. */
export async function recordReportedSuppression(
  deps: Pick<DeliveryEventDeps, "prisma" | "queue" | "now">,
  input: ReportedSuppression,
): Promise<{ created: boolean }> {
  const { prisma } = deps;
  const { shop, message, channel, reason } = input;
  const at = deps.now?.() ?? new Date();
  const key = { shop, customerId: message.customerId, channel, reason };
  const before = await prisma.suppression.findUnique({
    where: { shop_customerId_channel_reason: key },
    select: { createdAt: true },
  });
  if (reason === "complained" && channel === "email") {
    const shopRow = await prisma.shop.findUnique({
      where: { domain: shop },
      select: { uninstalledAt: true },
    });
    await recordUnsubscribe(
      { prisma, queue: deps.queue, now: () => at },
      { shop, customerId: message.customerId, channel },
      shopRow !== null && shopRow.uninstalledAt === null,
      "complained",
    );
    await noteOn(prisma, shop, message.id, input.note);
  } else {
    await prisma.$transaction([
      prisma.suppression.createMany({ data: [{ ...key, createdAt: at }], skipDuplicates: true }),
      noteOn(prisma, shop, message.id, input.note),
    ]);
  }
  return { created: before === null };
}
