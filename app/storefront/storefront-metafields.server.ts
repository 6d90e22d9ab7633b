import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { callAdmin } from "../admin-api/graphql-client.server";
import { getCampaignSettings } from "../campaigns/settings/campaign-settings.server";
import { isValidTimeZone } from "../messaging/rules/time-zone";
import { shopTimeZone } from "../sync/shop-time-zone.server";
import type { AdminGraphql } from "../sync/store-overview.server";
import { storefrontDeadlines, type StorefrontDeadlines } from "./deadlines";
import { APP_METAFIELDS_SET_MUTATION, CURRENT_APP_INSTALLATION_QUERY } from "./documents";

// Writes the storefront's deadlines into the app-data metafield holiday.deadlines (owner: the app's
// installation), where the theme app extension's banner reads them. The value depends only on the
// cut-offs, the shop's zone and which Christmas is next, so writing it again is harmless: it is
// written after a settings save, after install and once a day (which rolls it over on Dec 26).

export const DEADLINES_NAMESPACE = "holiday";
export const DEADLINES_KEY = "deadlines";

export interface StorefrontMetafieldDeps {
  prisma: Pick<PrismaClient, "shop" | "shopSettings">;
  admin: AdminGraphql;
  now(): Date;
  /** one line per write; never personal data */
  log(line: string): void;
  sleep?(ms: number): Promise<void>;
}

/** Shopify refused the metafield (userErrors): retrying the same value cannot help. */
export class StorefrontMetafieldError extends Error {
  override name = "StorefrontMetafieldError";
}

const Installation = z.object({
  currentAppInstallation: z.object({ id: z.string().min(1) }),
  shop: z.object({ ianaTimezone: z.string().min(1).nullable() }).nullable().optional(),
});
const MetafieldsSet = z.object({
  metafieldsSet: z
    .object({
      metafields: z.array(z.object({ id: z.string(), namespace: z.string(), key: z.string() })).nullable(),
      userErrors: z.array(
        z.object({
          field: z.array(z.string()).nullable().optional(),
          message: z.string(),
          code: z.string().nullable().optional(),
        }),
      ),
    })
    .nullable(),
});

/** Computes the shop's deadlines and writes them to Shopify; returns what was written. */
export async function writeStorefrontDeadlines(
  deps: StorefrontMetafieldDeps,
  shop: string,
): Promise<StorefrontDeadlines> {
  const [settings, stored] = await Promise.all([
    getCampaignSettings(deps.prisma, shop, deps.log),
    shopTimeZone(deps.prisma, shop),
  ]);
  const options = { sleep: deps.sleep, log: deps.log };
  const answer = Installation.parse(await callAdmin(deps.admin, CURRENT_APP_INSTALLATION_QUERY, undefined, options));
  const { currentAppInstallation } = answer;
  // Shopify's zone: at install the app has not stored it yet (the backfill does)
  const zone = answer.shop?.ianaTimezone;
  const timeZone = isValidTimeZone(zone) ? zone : stored;
  const value = storefrontDeadlines({ cutoffs: settings.shipping, timeZone, now: deps.now() });
  const metafield = {
    ownerId: currentAppInstallation.id,
    namespace: DEADLINES_NAMESPACE,
    key: DEADLINES_KEY,
    type: "json",
    value: JSON.stringify(value),
  };
  const { metafieldsSet } = MetafieldsSet.parse(
    await callAdmin(deps.admin, APP_METAFIELDS_SET_MUTATION, { metafields: [metafield] }, options),
  );
  const errors = metafieldsSet?.userErrors ?? [];
  if (errors.length > 0 || !metafieldsSet?.metafields?.length) {
    const reasons = errors.map((e) => `${e.code ? `${e.code}: ` : ""}${e.message}`).join("; ");
    throw new StorefrontMetafieldError(
      `Shopify refused the storefront deadlines of ${shop} (${DEADLINES_NAMESPACE}.${DEADLINES_KEY}): ${reasons || "no metafield in the answer"}`,
    );
  }
  const dates = value.deadlines.map((d) => `${d.shipping} ${d.date}`).join(", ");
  deps.log(`storefront deadlines of ${shop} written (${timeZone}): ${dates}`);
  return value;
}
