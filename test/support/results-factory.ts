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

const at = (iso: string) => new Date(`${iso}Z`);

/**
 * The hand-worked campaign of the results tests: customers 1–11 of `shop` sent (or held out from)
 * `campaignId` at 14:00 UTC on Nov 28, 2026, with what happened to each message and who ordered.
 * 1: opened twice, clicked, ordered 50.00 (and a cancelled 99.00); 2: opened by Apple's proxy
 * only, ordered 70.00 with the campaign's code; 3: bounced; 4: complained and unsubscribed;
 * 5: failed; 6: skipped at send time, ordered 20.00; 11: skipped while planning, ordered 10.00;
 * 7–10 held out: 7 ordered 40.00 in the window, 8 ordered 60.00 after it. `idOf(n)` names
 * customer n's message.
 */
export async function seedHandWorkedCampaign(
  prisma: PrismaClient,
  shop: string,
  campaignId: string,
  idOf: (n: number) => string,
): Promise<void> {
  const sendAt = at("2026-11-28T14:00:00");
  const m = (n: number, over: Partial<MessageFixture> = {}): MessageFixture => ({
    id: idOf(n),
    campaignId,
    customerId: n,
    sendAt,
    ...over,
  });
  await seedMessages(prisma, shop, [
    m(1),
    m(2),
    m(3),
    m(4),
    m(5, { status: "failed" }),
    m(6, { status: "skipped", attempts: 1 }),
    m(11, { status: "skipped", attempts: 0 }),
    m(7, { status: "holdout" }),
    m(8, { status: "holdout" }),
    m(9, { status: "holdout" }),
    m(10, { status: "holdout" }),
  ]);
  const ev = (n: number) => ({ id: idOf(n), campaignId, customerId: n });
  await seedEvent(prisma, shop, ev(1), { kind: "opened", at: at("2026-11-28T16:00:00") });
  await seedEvent(prisma, shop, ev(1), { kind: "opened", at: at("2026-11-29T08:00:00") });
  await seedEvent(prisma, shop, ev(1), {
    kind: "clicked",
    at: at("2026-11-29T10:00:00"),
    linkId: "AAAAAAAAAAAA",
  });
  await seedEvent(prisma, shop, ev(2), {
    kind: "opened",
    at: at("2026-11-28T14:00:05"),
    machine: true,
    machineReason: "apple_mpp",
  });
  await seedEvent(prisma, shop, ev(3), { kind: "bounced", at: at("2026-11-28T14:01:00") });
  await seedEvent(prisma, shop, ev(4), { kind: "complained", at: at("2026-11-28T20:00:00") });
  await seedEvent(prisma, shop, ev(4), { kind: "unsubscribed", at: at("2026-11-28T20:00:00") });
  await seedOrders(prisma, shop, [
    { id: 101, customerId: 1, createdAt: at("2026-12-01T09:00:00"), totalMinor: 5_000 },
    {
      id: 109,
      customerId: 1,
      createdAt: at("2026-11-30T09:00:00"),
      totalMinor: 9_900,
      cancelledAt: at("2026-11-30T10:00:00"),
    },
    {
      id: 102,
      customerId: 2,
      createdAt: at("2026-12-02T09:00:00"),
      totalMinor: 7_000,
      discountCodes: ["CYBERWEEK2026"],
    },
    { id: 106, customerId: 6, createdAt: at("2026-11-30T09:00:00"), totalMinor: 2_000 },
    { id: 107, customerId: 7, createdAt: at("2026-11-29T09:00:00"), totalMinor: 4_000 },
    { id: 108, customerId: 8, createdAt: at("2026-12-10T09:00:00"), totalMinor: 6_000 },
    { id: 111, customerId: 11, createdAt: at("2026-11-29T09:00:00"), totalMinor: 1_000 },
  ]);
}
