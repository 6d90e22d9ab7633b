// The extension renders only with deadlines ahead and a VIP logged in: set that up and check it shows.

import { join } from "node:path";
import { z } from "zod";
import { addDays } from "../../../app/messaging/rules/local-dates";
import { formatLocalIso, instantAt, parseLocalDate } from "../../../app/messaging/rules/time-zone";
import { localDateAt, StorefrontDeadlines } from "../../../app/storefront/deadlines";
import { API_KEY, API_SECRET, installedAdmin } from "../../emulator/helpers";
import { startEmulator, type Emulator } from "../../emulator/index";
import { launchBrowser } from "../../support/browser";
import type { Run, Variant } from "./lighthouse-run";

export const SHOP = "bench-storefront.myshopify.com";

/** The emulator in this process, with the one shop. */
export function startShop(products: number): Promise<Emulator> {
  return startEmulator({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    appUrl: "http://127.0.0.1:9",
    webhooks: [],
    shops: [{ domain: SHOP, seed: 15, customers: 40, orders: 80, products }],
  });
}

/** The app-data metafield as the app writes it, with cut-offs 3 and 6 days from now in the shop's zone. */
function deadlinesValue(now: Date, timeZone: string): StorefrontDeadlines {
  const today = localDateAt(now.getTime(), timeZone);
  const deadline = (shipping: "standard" | "express", days: number) => {
    const date = addDays(today, days);
    const end = instantAt(parseLocalDate(addDays(date, 1)), timeZone).instant - 1000;
    return { shipping, date, until: end / 1000, orderBy: formatLocalIso(end, timeZone) };
  };
  return StorefrontDeadlines.parse({
    version: 1,
    occasion: "Christmas",
    timeZone,
    showFrom: Math.floor(now.getTime() / 1000) - 86_400,
    deadlines: [deadline("standard", 3), deadline("express", 6)],
  });
}

const SetResult = z.object({
  data: z.object({ metafieldsSet: z.object({ userErrors: z.array(z.object({ message: z.string() })) }) }),
});
const InstallationId = z.object({ data: z.object({ currentAppInstallation: z.object({ id: z.string() }) }) });

/** Writes the deadlines and a vip customer's segment through Admin GraphQL; returns the storefront cookie. */
export async function prepareShop(
  emulator: Emulator,
): Promise<{ cookie: string; deadlines: StorefrontDeadlines }> {
  const admin = await installedAdmin(emulator, SHOP);
  const gql = async (query: string, variables?: Record<string, unknown>): Promise<unknown> =>
    (await admin.graphql(query, { variables })).json();
  const installation = InstallationId.parse(await gql(`{ currentAppInstallation { id } }`)).data
    .currentAppInstallation.id;
  const store = emulator.store(SHOP);
  const deadlines = deadlinesValue(new Date(), store.ianaTimezone);
  const customer = store.customer(0);
  const set = SetResult.parse(
    await gql(
      `mutation Set($metafields: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $metafields) { userErrors { message } } }`,
      {
        metafields: [
          {
            ownerId: installation,
            namespace: "holiday",
            key: "deadlines",
            type: "json",
            value: JSON.stringify(deadlines),
          },
          {
            ownerId: customer.id,
            namespace: "$app",
            key: "rfm_segment",
            type: "single_line_text_field",
            value: "vip",
          },
        ],
      },
    ),
  );
  if (set.data.metafieldsSet.userErrors.length > 0)
    throw new Error(`metafieldsSet: ${JSON.stringify(set.data.metafieldsSet.userErrors)}`);
  return { cookie: `emulator_customer=${customer.legacyResourceId}`, deadlines };
}

/** What a shopper sees: with the extension, the banner, the form and the VIP block; without it, none. */
export async function checkPages(
  urls: Record<Variant, string>,
  cookie: string,
  saveTo: string | undefined,
): Promise<Record<string, unknown>> {
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({
      extraHTTPHeaders: { Cookie: cookie },
      viewport: { width: 412, height: 823 },
    });
    const page = await context.newPage();
    await page.goto(urls.with, { waitUntil: "load" });
    const banner = page.locator(".hs-banner:not([hidden]) .hs-banner__msg:not([hidden])");
    const form = page.locator('form.hs-signup__form[method="post"]');
    const seen = {
      banner: (await banner.count()) === 1 && (await banner.isVisible()) ? await banner.innerText() : null,
      formAction:
        (await form.count()) === 1 && (await form.isVisible()) ? await form.getAttribute("action") : null,
      emailInput: await page.locator('form.hs-signup__form input[name="email"]').isVisible(),
      vip: (await page.locator(".hs-vip").count()) === 1 && (await page.locator(".hs-vip").isVisible()),
    };
    if (saveTo) await page.screenshot({ path: join(saveTo, "with-extension.png"), fullPage: true });
    if (!seen.banner || !seen.formAction?.endsWith("/apps/holiday/signup") || !seen.emailInput || !seen.vip)
      throw new Error(`the page with the extension lacks a block: ${JSON.stringify(seen)}`);
    await page.goto(urls.without, { waitUntil: "load" });
    const blocks = await page.locator(".hs-banner, .hs-signup, .hs-vip, .shopify-app-block").count();
    if (blocks !== 0) throw new Error(`the page without the extension has ${blocks} of its blocks`);
    return seen;
  } finally {
    await browser.close();
  }
}

const ASSETS = "/extensions/holiday-storefront/assets/";
// deadline-banner.js is only referenced by a banner that renders
const EXPECTED_ASSETS = ["holiday-storefront.css", "signup-form.js", "deadline-banner.js"];
export const extensionRequests = (run: Run) => run.requests.filter((r) => r.url.includes(ASSETS));

/** Every run with the extension loads its assets; no run without it loads any. */
export function checkRun(variant: Variant, run: Run): void {
  const assets = extensionRequests(run).map((r) => r.url);
  const missing = EXPECTED_ASSETS.filter((file) => !assets.some((url) => url.endsWith(`${ASSETS}${file}`)));
  if (variant === "with" && missing.length > 0)
    throw new Error(`a run with the extension did not load ${missing.join(", ")}`);
  if (variant === "without" && assets.length > 0)
    throw new Error(`a run without the extension loaded ${assets.join(", ")}`);
}
