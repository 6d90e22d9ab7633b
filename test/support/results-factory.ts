import type { PrismaClient } from "@prisma/client";
import {
  recordMessageEvent,
  type MessageEventInput,
} from "../../app/messaging/delivery-events/message-events.server";

// Results fixtures: orders, sent messages and their events, written as the app writes them, for
// attribution and results tests. Amounts are minor units.

export interface OrderFixture {
  id: number;
  customerId: number | null;
  createdAt: Date;
  totalMinor: number;
  cancelledAt?: Date | null;
  test?: boolean;
  discountCodes?: string[];
  landingPage?: string | null;
  currencyCode?: string;
}

export async function seedOrders(
  prisma: PrismaClient,
  shop: string,
  orders: readonly OrderFixture[],
): Promise<void> {
  await prisma.order.createMany({
    data: orders.map((o) => ({
      shop,
      id: BigInt(o.id),
      customerId: o.customerId === null ? null : BigInt(o.customerId),
      shopifyCreatedAt: o.createdAt,
      shopifyUpdatedAt: o.createdAt,
      cancelledAt: o.cancelledAt ?? null,
      test: o.test ?? false,
      totalMinor: BigInt(o.totalMinor),
      discountMinor: 0n,
      currencyCode: o.currencyCode ?? "USD",
      discountCodes: o.discountCodes ?? [],
      landingPage: o.landingPage ?? null,
    })),
  });
}

export interface MessageFixture {
  id: string;
  campaignId: string;
  customerId: number;
  channel?: "email" | "sms" | "webhook";
  sendKey?: string;
  segment?: string;
  /** sent | holdout | skipped | failed …; sent by default */
  status?: string;
  sendAt: Date;
  sentAt?: Date | null;
  /** claims so far: a row skipped at send time was claimed (1), one skipped while planning not (0) */
  attempts?: number;
}

export async function seedMessages(
  prisma: PrismaClient,
  shop: string,
  messages: readonly MessageFixture[],
): Promise<void> {
  await prisma.outboxMessage.createMany({
    data: messages.map((m) => {
      const status = m.status ?? "sent";
      return {
        id: m.id,
        shop,
        campaignId: m.campaignId,
        sendKey: m.sendKey ?? "launch",
        customerId: BigInt(m.customerId),
        segment: m.segment ?? "vip",
        channel: m.channel ?? "email",
        status,
        skipReason: status === "holdout" ? "holdout" : null,
        sendAt: m.sendAt,
        sentAt: status === "sent" ? (m.sentAt ?? m.sendAt) : null,
        attempts: m.attempts ?? (status === "holdout" || status === "planned" ? 0 : 1),
      };
    }),
  });
}

export async function seedEvent(
  prisma: PrismaClient,
  shop: string,
  message: { id: string; campaignId: string; customerId: number },
  event: MessageEventInput,
): Promise<void> {
  await recordMessageEvent(prisma, { ...message, shop, customerId: BigInt(message.customerId) }, event);
}

/** A message id as the app makes them (m_ and 40 hex digits), from a short label. */
export const messageId = (label: string): string =>
  `m_${Buffer.from(label).toString("hex").padEnd(40, "0").slice(0, 40)}`;
