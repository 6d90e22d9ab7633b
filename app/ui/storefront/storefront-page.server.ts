import type { PrismaClient } from "@prisma/client";
import { getCampaignSettings } from "../../campaigns/settings/campaign-settings.server";
import { getEnv } from "../../env.server";
import { consentHistory } from "../../storefront/consent-ledger.server";
import { storefrontDeadlines } from "../../storefront/deadlines";
import { readStorefrontSettings, StorefrontSettings } from "../../storefront/settings";
import { DEFAULT_THRESHOLDS } from "../../segments/rules";
import { shopTimeZone } from "../../sync/shop-time-zone.server";
import { formatDateTime } from "../format-time";

// The Storefront page's server side: where to put the blocks, what the banner says now, the signup
// settings, the latest consent changes; and one customer's consent evidence.

const EXTENSION_BLOCKS = [
  { handle: "deadline-banner", title: "Shipping deadline banner", kind: "embed" },
  { handle: "signup-form", title: "Signup form (email and SMS consent)", kind: "block" },
  { handle: "vip-early-access", title: "VIP early access", kind: "block" },
] as const;

type Db = Pick<PrismaClient, "shop" | "shopSettings" | "consentRecord" | "consentDisclosure">;

function themeEditorLink(shop: string, apiKey: string, block: (typeof EXTENSION_BLOCKS)[number]): string {
  const editor = `https://${shop}/admin/themes/current/editor`;
  return block.kind === "embed"
    ? `${editor}?context=apps&activateAppId=${apiKey}/${block.handle}`
    : `${editor}?template=index&addAppBlockId=${apiKey}/${block.handle}&target=newAppsSection`;
}

export async function loadStorefrontPage(prisma: Db, shop: string, now: Date) {
  const env = getEnv();
  const zone = await shopTimeZone(prisma, shop);
  const campaign = await getCampaignSettings(prisma, shop, () => undefined);
  const deadlines = storefrontDeadlines({ cutoffs: campaign.shipping, timeZone: zone, now });
  const stored = await prisma.shopSettings.findUnique({ where: { shop }, select: { storefrontSettings: true } });
  const recent = await prisma.consentRecord.findMany({
    where: { shop },
    orderBy: [{ recordedAt: "desc" }, { id: "desc" }],
    take: 50,
  });
  const nowSeconds = Math.floor(now.getTime() / 1000);
  return {
    zone,
    blocks: EXTENSION_BLOCKS.map((block) => ({ ...block, url: themeEditorLink(shop, env.SHOPIFY_API_KEY, block) })),
    preview: env.SHOPIFY_EMULATOR_URL ? `${env.SHOPIFY_EMULATOR_URL.replace(/\/$/, "")}/s/${shop}/` : null,
    deadlines: deadlines.deadlines.map((d) => ({
      shipping: d.shipping,
      date: d.date,
      orderBy: formatDateTime(new Date(d.until * 1000), zone),
      state: d.until < nowSeconds ? "passed" : nowSeconds < deadlines.showFrom ? "not yet shown" : "shown",
    })),
    showFrom: formatDateTime(new Date(deadlines.showFrom * 1000), zone),
    occasion: deadlines.occasion,
    settings: readStorefrontSettings(stored?.storefrontSettings),
    recent: recent.map((r) => ({
      id: r.id,
      customerId: r.customerId.toString(),
      channel: r.channel,
      state: r.state,
      optInLevel: r.optInLevel,
      source: r.source,
      at: formatDateTime(r.recordedAt, zone),
    })),
  };
}

export async function saveStorefrontSettings(prisma: Pick<PrismaClient, "shopSettings">, shop: string, form: FormData) {
  const parsed = StorefrontSettings.safeParse({ doubleOptInEmail: form.get("doubleOptInEmail") === "on" });
  if (!parsed.success) return { ok: false as const, error: parsed.error.issues.map((i) => i.message).join("; ") };
  await prisma.shopSettings.upsert({
    where: { shop },
    create: { shop, segmentThresholds: { ...DEFAULT_THRESHOLDS }, storefrontSettings: parsed.data },
    update: { storefrontSettings: parsed.data },
  });
  return { ok: true as const, settings: parsed.data };
}

/** One customer's consent ledger, newest last, for the evidence page. */
export async function loadConsentEvidence(prisma: Db, shop: string, customerId: string) {
  if (!/^\d{1,20}$/.test(customerId)) return null;
  const zone = await shopTimeZone(prisma, shop);
  const rows = await consentHistory(prisma, shop, BigInt(customerId));
  return {
    zone,
    customerId,
    rows: rows.map((r) => ({ ...r, recordedAt: formatDateTime(r.recordedAt, zone), recordedAtIso: r.recordedAt.toISOString() })),
  };
}
