import type { PrismaClient } from "@prisma/client";
import { readChannelSettings } from "../../messaging/channel-config/channel-config.server";
import { createChannel } from "../../messaging/channels/create-channel.server";
import type { NetworkPolicy } from "../../messaging/channels/destination";
import type { SecretBox } from "../../messaging/channels/secret-box.server";
import type { AdminGraphql } from "../../sync/store-overview.server";
import { CONFIRMATION_DAYS, signConfirmation } from "./confirmation-token.server";
import { confirmationEmail } from "./confirmation-email";
import type { SignupLocale } from "./messages";
import { customerById } from "./shopify-customers.server";

// The job that emails a pending signup its confirmation link, through the shop's own email
// channel. Nothing to send (confirmed meanwhile, customer gone, already subscribed) ends quietly;
// a channel not set up yet is retried, so signups made before the merchant configured email still
// get their link.

/** The proxy's storefront path (shopify.app.toml [app_proxy] prefix/subpath). */
export const PROXY_PATH = "apps/holiday";

export interface ConfirmationDeps {
  prisma: Pick<PrismaClient, "consentRecord" | "channelConfig" | "shop">;
  admin: (shop: string) => Promise<AdminGraphql>;
  box: SecretBox;
  network: NetworkPolicy;
  secret: Buffer;
  /** the shop's storefront root with a trailing slash, e.g. https://shop.example/ */
  storefrontRoot: (shop: string, primaryDomain: string | null) => string;
  log: (line: string) => void;
}

export async function sendSignupConfirmation(
  deps: ConfirmationDeps,
  job: { shop: string; recordId: string; locale: SignupLocale },
): Promise<"sent" | "nothing-to-send"> {
  const { shop, recordId } = job;
  const record = await deps.prisma.consentRecord.findFirst({ where: { shop, id: recordId } });
  if (!record || record.channel !== "email" || record.state !== "PENDING") return "nothing-to-send";
  const confirmed = await deps.prisma.consentRecord.findFirst({ where: { shop, confirms: recordId }, select: { id: true } });
  if (confirmed) return "nothing-to-send";
  const customer = await customerById(await deps.admin(shop), record.customerId);
  if (!customer?.email || customer.emailConsent?.marketingState === "SUBSCRIBED") return "nothing-to-send";

  const settings = await readChannelSettings(deps, shop, "email");
  if (!settings) throw new Error(`the shop's email channel is not set up: the confirmation of signup ${recordId} waits for it`);
  const about = await deps.prisma.shop.findUnique({ where: { domain: shop }, select: { name: true, primaryDomain: true } });
  const expiresAt = new Date(record.recordedAt.getTime() + CONFIRMATION_DAYS * 86_400_000);
  const token = signConfirmation(deps.secret, { shop, customerId: record.customerId, recordId, expiresAt });
  const link = `${deps.storefrontRoot(shop, about?.primaryDomain ?? null)}${PROXY_PATH}/confirm?token=${token}&locale=${job.locale}`;
  const content = confirmationEmail({ shopName: about?.name ?? shop, link, locale: job.locale, days: CONFIRMATION_DAYS });

  const client = createChannel(settings, { network: deps.network });
  try {
    const result = await client.send({
      idempotencyKey: `confirm:${recordId}`,
      to: customer.email,
      content,
      metadata: { shop, campaignId: "storefront-signup", customerId: record.customerId.toString() },
    });
    if (result.status === "retry") throw new Error(`the email channel asked to retry the confirmation of ${recordId}: ${result.reason}`);
    if (result.status !== "sent") {
      deps.log(`confirmation of signup ${recordId} (${shop}) not sent: ${result.reason}`);
      return "nothing-to-send";
    }
    deps.log(`confirmation of signup ${recordId} (${shop}) sent`);
    return "sent";
  } finally {
    await client.close();
  }
}
