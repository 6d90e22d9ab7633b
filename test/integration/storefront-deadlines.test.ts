import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startEmulator, type Emulator } from "../emulator/index";
import { API_KEY, API_SECRET, installedAdmin } from "../emulator/helpers";
import { DEFAULT_CAMPAIGN_SETTINGS } from "~/campaigns/settings/campaign-settings";
import {
  saveCampaignSettingsAction,
  type CampaignSettingsDeps,
} from "~/campaigns/settings/campaign-settings.server";
import { campaignSettingsValues, type CampaignSettingsValues } from "~/campaigns/settings/settings-form";
import { recordInstall } from "~/shops.server";
import {
  StorefrontMetafieldError,
  writeStorefrontDeadlines,
} from "~/storefront/storefront-metafields.server";
import type { AdminGraphql } from "~/sync/store-overview.server";
import { databaseModes, type TestDatabase } from "./helpers/db";

// The storefront's deadlines (app-data metafield holiday.deadlines on the app's installation): the
// Settings save writes them through the emulator's Admin API, and the emulator then holds exactly
// the hand-worked value for the shop's zone.

const SHOP = "storefront-deadlines.myshopify.com";
const NOW = new Date("2026-11-20T12:00:00Z");

const INSTALLATION = `#graphql
  query { currentAppInstallation { id metafield(namespace: "holiday", key: "deadlines") { type value } } }`;
const Installation = z.object({
  data: z.object({
    currentAppInstallation: z.object({
      id: z.string(),
      metafield: z.object({ type: z.string(), value: z.string() }).nullable(),
    }),
  }),
});

let emulator: Emulator;
let admin: AdminGraphql;
beforeAll(async () => {
  emulator = await startEmulator({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    appUrl: "http://127.0.0.1:9",
    webhooks: [],
    shops: [{ domain: SHOP, seed: 3, customers: 3, orders: 3, products: 1 }],
  });
  admin = await installedAdmin(emulator, SHOP);
});
afterAll(async () => {
  await emulator.close();
});

/** What Shopify holds: the installation's metafield, read back through the Admin API. */
async function storedDeadlines(): Promise<{ type: string; value: unknown } | null> {
  const response = await admin.graphql(INSTALLATION);
  const { metafield } = Installation.parse(await response.json()).data.currentAppInstallation;
  return metafield && { type: metafield.type, value: JSON.parse(metafield.value) };
}

const settingsForm = (changes: Partial<CampaignSettingsValues>) => {
  const form = new FormData();
  const values = { intent: "campaign-settings", ...campaignSettingsValues(DEFAULT_CAMPAIGN_SETTINGS), ...changes };
  for (const [key, value] of Object.entries(values)) form.append(key, value);
  return form;
};

describe.each(databaseModes)("storefront deadlines ($name)", (mode) => {
  let db: TestDatabase;
  let lines: string[];
  const deps = (writeWith: AdminGraphql = admin): CampaignSettingsDeps => ({
    prisma: db.prisma,
    now: () => NOW,
    log: (line) => lines.push(line),
    settingsSaved: async (shop) => {
      await writeStorefrontDeadlines({ prisma: db.prisma, admin: writeWith, now: () => NOW, log: (l) => lines.push(l) }, shop);
    },
  });

  beforeAll(async () => {
    db = await mode.open();
    lines = [];
    await recordInstall(db.prisma, { shop: SHOP, scopes: "read_customers" });
    await db.prisma.shop.update({ where: { domain: SHOP }, data: { ianaTimezone: "America/New_York" } });
  });
  afterAll(async () => {
    await db.close();
  });

  it("writes the saved cut-offs as the shop's deadlines, the value worked out by hand", async () => {
    const result = await saveCampaignSettingsAction(
      deps(),
      SHOP,
      settingsForm({ "shipping.standard": "12-14", "shipping.express": "4" }),
    );
    expect(result).toMatchObject({ ok: true });
    expect(await storedDeadlines()).toEqual({
      type: "json",
      value: {
        version: 1,
        occasion: "Christmas",
        timeZone: "America/New_York",
        // Dec 14 − 45 days = Oct 30, EDT: 04:00Z on day 20,756 (2026-01-01 is day 20,454)
        showFrom: 1793332800,
        deadlines: [
          // 2026-12-15T04:59:59Z: day 20,802 × 86,400 + 17,999
          { shipping: "standard", date: "2026-12-14", until: 1797310799, orderBy: "2026-12-14T23:59:59-05:00" },
          // 4 days before Christmas = Dec 21; 2026-12-22T04:59:59Z: day 20,809 × 86,400 + 17,999
          { shipping: "express", date: "2026-12-21", until: 1797915599, orderBy: "2026-12-21T23:59:59-05:00" },
        ],
      },
    });
    expect(lines.join("\n")).not.toMatch(/@/);
  });

  it("rewrites the value on the next save, and a save with nothing new leaves it as it was", async () => {
    await saveCampaignSettingsAction(deps(), SHOP, settingsForm({ "shipping.standard": "12-10", "shipping.express": "12-18" }));
    const first = await storedDeadlines();
    expect(first?.value).toMatchObject({
      deadlines: [
        { date: "2026-12-10", orderBy: "2026-12-10T23:59:59-05:00" },
        { date: "2026-12-18", orderBy: "2026-12-18T23:59:59-05:00" },
      ],
    });
    await saveCampaignSettingsAction(deps(), SHOP, settingsForm({ "shipping.standard": "12-10", "shipping.express": "12-18" }));
    expect(await storedDeadlines()).toEqual(first);
  });

  it("keeps the saved settings and logs the reason when Shopify refuses the metafield", async () => {
    const refusing: AdminGraphql = {
      graphql: async (query, init) => {
        if (!query.includes("metafieldsSet")) return admin.graphql(query, init);
        const userErrors = [{ field: ["metafields", "0", "value"], message: "Value is invalid JSON.", code: "INVALID_VALUE" }];
        return Response.json({ data: { metafieldsSet: { metafields: [], userErrors } } });
      },
    };
    await expect(
      writeStorefrontDeadlines({ prisma: db.prisma, admin: refusing, now: () => NOW, log: () => {} }, SHOP),
    ).rejects.toThrow(new StorefrontMetafieldError(
      `Shopify refused the storefront deadlines of ${SHOP} (holiday.deadlines): INVALID_VALUE: Value is invalid JSON.`,
    ));
    lines = [];
    const result = await saveCampaignSettingsAction(deps(refusing), SHOP, settingsForm({ "shipping.standard": "12-12" }));
    expect(result).toMatchObject({ ok: true, settings: { shipping: { standard: { date: "12-12" } } } });
    expect(lines).toContainEqual(expect.stringContaining("INVALID_VALUE: Value is invalid JSON."));
  });
});
