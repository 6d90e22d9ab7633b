import { createHash } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { utcTimestamp } from "../../db/sql";

// What happened to a sent message after it left, for results: provider reports, unsubscribes,
// opens and clicks. One row per (message, kind, link, machine flag): a repeated report or request
// adds to its count and moves lastAt, so recording is idempotent and the table grows with
// messages, not with requests. Accepted email and webhook messages are delivered when the outbox
// row says sent; a text is delivered only when the carrier says so.

export const MESSAGE_EVENT_KINDS = [
  "delivered",
  "undelivered",
  "bounced",
  "complained",
  "unsubscribed",
  "opened",
  "clicked",
] as const;
export type MessageEventKind = (typeof MESSAGE_EVENT_KINDS)[number];

export interface EventMessage {
  id: string;
  shop: string;
  campaignId: string;
  customerId: bigint;
}

export interface MessageEventInput {
  kind: MessageEventKind;
  at: Date;
  /** a privacy proxy, prefetcher or link scanner rather than the customer */
  machine?: boolean;
  machineReason?: string | null;
  /** clicks: the tracked link */
  linkId?: string | null;
}

export type MessageEventDb = Pick<PrismaClient, "$executeRaw">;

export function messageEventIdFor(
  outboxId: string,
  kind: MessageEventKind,
  linkId: string | null,
  machine: boolean,
): string {
  const text = `message-event\n${outboxId}\n${kind}\n${linkId ?? ""}\n${machine ? "machine" : "human"}`;
  return `v_${createHash("sha256").update(text).digest("hex").slice(0, 40)}`;
}

export async function recordMessageEvent(
  db: MessageEventDb,
  message: EventMessage,
  event: MessageEventInput,
): Promise<void> {
  const machine = event.machine ?? false;
  const linkId = event.linkId ?? null;
  const id = messageEventIdFor(message.id, event.kind, linkId, machine);
  await db.$executeRaw`
    INSERT INTO "MessageEvent" ("id", "shop", "outboxId", "campaignId", "customerId", "kind", "machine",
      "machineReason", "linkId", "count", "firstAt", "lastAt")
    VALUES (${id}, ${message.shop}, ${message.id}, ${message.campaignId}, ${message.customerId}, ${event.kind},
      ${machine}, ${event.machineReason ?? null}, ${linkId}, 1, ${utcTimestamp(event.at)}, ${utcTimestamp(event.at)})
    ON CONFLICT ("id") DO UPDATE SET
      "count" = "MessageEvent"."count" + 1,
      "firstAt" = LEAST("MessageEvent"."firstAt", EXCLUDED."firstAt"),
      "lastAt" = GREATEST("MessageEvent"."lastAt", EXCLUDED."lastAt")`;
}
