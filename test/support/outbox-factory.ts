import type { Prisma, PrismaClient } from "@prisma/client";
import type { SecretBox } from "../../app/messaging/channels/secret-box.server";
import type { ChannelSettings } from "../../app/messaging/channels/settings";
import { addDays } from "../../app/messaging/rules/local-dates";
import { defaultDefinition, storedDefinition } from "../../app/campaigns/lifecycle/definition";
import { buildPlaybook, CampaignDraft } from "../../app/campaigns/playbooks";
import type { DispatchChannel } from "../../app/messaging/dispatch/jobs";

// Outbox fixtures in bulk SQL, for tests, benchmarks and demos of the dispatcher: the planning
// stage writes real campaigns. Customers are `c<n>@example.com` / +1555…, subscribed on both
// channels, ids `from`..`from+count-1`.

const ts = (date: Date) => date.toISOString();

/** A zone whose clock reads about noon now, so SMS hours never hold a test's texts back. */
export function middayZone(now: Date = new Date()): string {
  let offset = 12 - now.getUTCHours();
  if (offset > 14) offset -= 24;
  if (offset < -12) offset += 24;
  // POSIX sign: Etc/GMT-5 is UTC+5.
  return offset === 0 ? "Etc/GMT" : `Etc/GMT${offset > 0 ? "-" : "+"}${Math.abs(offset)}`;
}

export async function seedCustomers(
  prisma: PrismaClient,
  shop: string,
  from: number,
  count: number,
): Promise<void> {
  await prisma.$executeRaw`
    INSERT INTO "Customer" (shop, id, email, phone, locale, tags, "emailMarketingState", "smsMarketingState",
      "shopifyCreatedAt", "shopifyUpdatedAt")
    SELECT ${shop}, n, 'c' || n || '@example.com', '+1555' || lpad((n % 10000000)::text, 7, '0'), 'en',
      ARRAY[]::text[], 'SUBSCRIBED', 'SUBSCRIBED', now(), now()
    FROM generate_series(${from}::bigint, ${from + count - 1}::bigint) AS n
    ON CONFLICT DO NOTHING`;
}

export interface SeedCampaign {
  shop: string;
  id: string;
  status?: string;
  segment?: "vip" | "price_sensitive" | "lapsed" | "recent";
  channels?: DispatchChannel[];
}

/**
 * A campaign whose definition is the Cyber Week 2026 draft of its segment, moved to run from
 * yesterday to a week from now (UTC dates), so no message is past the campaign's end.
 */
export async function seedCampaign(prisma: PrismaClient, input: SeedCampaign): Promise<void> {
  const segment = input.segment ?? "price_sensitive";
  const base = buildPlaybook({ playbook: "cyber-week", year: 2026, countryCode: "US" }).find(
    (d) => d.segment === segment,
  );
  if (!base) throw new Error(`no draft for ${segment}`);
  const today = new Date().toISOString().slice(0, 10);
  const startsAt = addDays(today, -1);
  const endsAt = addDays(today, 7);
  const draft = CampaignDraft.parse({
    ...base,
    channels: input.channels ?? base.channels,
    startsAt,
    endsAt,
    sends: base.sends.map((send, i) => ({ ...send, localDate: i === 0 ? startsAt : endsAt })),
  });
  const json: Prisma.InputJsonValue = JSON.parse(JSON.stringify(storedDefinition(defaultDefinition(draft))));
  await prisma.campaign.create({
    data: {
      id: input.id,
      shop: input.shop,
      key: `${input.id}`,
      segment,
      name: draft.name,
      definition: json,
      status: input.status ?? "scheduled",
      plannedAt: new Date(),
      scheduledAt: new Date(),
    },
  });
}

export interface SeedOutbox {
  shop: string;
  campaignId: string;
  channel: DispatchChannel;
  /** customers `from`..`from+count-1`; row ids are `${idPrefix}<n>` */
  from: number;
  count: number;
  idPrefix: string;
  sendAt: Date;
  sendKey?: string;
  segment?: string;
  timeZone?: string;
  status?: string;
}

export async function seedOutbox(prisma: PrismaClient, input: SeedOutbox): Promise<void> {
  await prisma.$executeRaw`
    INSERT INTO "OutboxMessage" (id, shop, "campaignId", "sendKey", "customerId", segment, channel, status,
      "sendAt", "timeZone", "updatedAt")
    SELECT ${input.idPrefix} || n, ${input.shop}, ${input.campaignId}, ${input.sendKey ?? "launch"}, n,
      ${input.segment ?? "price_sensitive"}, ${input.channel}, ${input.status ?? "queued"},
      ${ts(input.sendAt)}::timestamp, ${input.timeZone ?? middayZone()}, now()
    FROM generate_series(${input.from}::bigint, ${input.from + input.count - 1}::bigint) AS n`;
}

/** Stores a channel as the Settings page does: sealed with the context `${shop}:${channel}`. */
export async function saveChannelConfig(
  prisma: PrismaClient,
  box: Pick<SecretBox, "encrypt">,
  input: { shop: string; channel: DispatchChannel; settings: ChannelSettings; ratePerSecond: number },
): Promise<void> {
  const sealed = box.encrypt(JSON.stringify(input.settings), `${input.shop}:${input.channel}`);
  await prisma.channelConfig.upsert({
    where: { shop_channel: { shop: input.shop, channel: input.channel } },
    create: {
      shop: input.shop,
      channel: input.channel,
      sealed,
      ratePerSecond: input.ratePerSecond,
      testOk: true,
    },
    update: { sealed, ratePerSecond: input.ratePerSecond },
  });
}
