import type { PrismaClient } from "@prisma/client";
import { suppressionInForce } from "../delivery-events/suppression-sql";
import { z } from "zod";
import { SUPPRESSION_REASONS, type Suppression } from "../rules/channels";
import type { DispatchChannel } from "./jobs";
import type { Recipient } from "./message";

// The customers of a claimed batch and their suppressions, read just before sending: two queries
// per batch, whatever its size.

const RecipientRow = z.object({
  id: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  locale: z.string().nullable(),
  countryCode: z.string().nullable(),
  provinceCode: z.string().nullable(),
  emailMarketingState: z.string().nullable(),
  smsMarketingState: z.string().nullable(),
});

const SuppressionRow = z.object({ customerId: z.string(), channel: z.string(), reason: z.string() });
const Reason = z.enum(SUPPRESSION_REASONS);
const SuppressedOn = z.enum(["email", "sms", "webhook", "all"]);

export async function loadRecipients(
  prisma: PrismaClient,
  shop: string,
  customerIds: readonly string[],
): Promise<Map<string, Recipient>> {
  if (customerIds.length === 0) return new Map();
  const rows = await prisma.$queryRaw<unknown[]>`
    SELECT id::text AS id, "firstName", "lastName", email, phone, locale, "countryCode", "provinceCode",
      "emailMarketingState", "smsMarketingState"
    FROM "Customer"
    WHERE shop = ${shop}
      AND id = ANY(ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(customerIds)}::jsonb)::bigint))`;
  const recipients = new Map<string, Recipient>();
  for (const raw of rows) {
    const { id, ...recipient } = RecipientRow.parse(raw);
    recipients.set(id, recipient);
  }
  return recipients;
}

export async function loadSuppressions(
  prisma: PrismaClient,
  shop: string,
  channel: DispatchChannel,
  customerIds: readonly string[],
): Promise<Map<string, Suppression[]>> {
  if (customerIds.length === 0) return new Map();
  // The webhook channel also needs email and SMS suppressions (audience/channels.ts).
  const rows = await prisma.$queryRawUnsafe<unknown[]>(
    `SELECT s."customerId"::text AS "customerId", s.channel, s.reason FROM "Suppression" s
     WHERE s.shop = $1
       AND s."customerId" = ANY(ARRAY(SELECT jsonb_array_elements_text($2::jsonb)::bigint))
       AND (s.channel IN ($3, 'all') OR $3 = 'webhook') AND ${suppressionInForce("s")}`,
    shop,
    JSON.stringify(customerIds),
    channel,
  );
  const byCustomer = new Map<string, Suppression[]>();
  for (const raw of rows) {
    const row = SuppressionRow.parse(raw);
    const on = SuppressedOn.safeParse(row.channel);
    if (!on.success) continue;
    // A reason this code does not know still suppresses: not sending is the safe side.
    const reason = Reason.safeParse(row.reason);
    const list = byCustomer.get(row.customerId) ?? [];
    list.push({ channel: on.data, reason: reason.success ? reason.data : "unsubscribed" });
    byCustomer.set(row.customerId, list);
  }
  return byCustomer;
}
