import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CAMPAIGN_SETTINGS } from "~/campaigns/settings/campaign-settings";
import { campaignSettingsValues } from "~/campaigns/settings/settings-form";
import { StorefrontDeadlines } from "~/storefront/deadlines";
import { fetchWithSessionToken } from "../../scripts/demo/admin-request";
import { startDemo, type Demo } from "../../scripts/demo/start-demo";
import { waitForSegments, waitForSync } from "../../scripts/demo/wait-for-sync";
import { appInstallationId } from "../emulator/graphql/metafield-views";
import { databaseModes, type DatabaseTarget } from "./helpers/db";
import { waitFor } from "./helpers/wait-for";

// The running app, wired as in production: installing writes the storefront's deadlines, the
// first rescore after the sync gives every customer its $app.rfm_segment (the tag option is off),
// and saving new cut-offs in Settings rewrites the deadlines — each through the job queue.

const SHOP = "storefront-app.myshopify.com";
const CUSTOMERS = 25;
// The app shows the Christmas ahead: this year's until it has passed (the app runs on the real clock).
const today = new Date();
const YEAR = today.getUTCMonth() === 11 && today.getUTCDate() > 25 ? today.getUTCFullYear() + 1 : today.getUTCFullYear();

describe.each(databaseModes)("storefront metafields in the running app ($name)", (mode) => {
  let demo: Demo;
  let database: DatabaseTarget;
  let dataDir: string;
  const url = (path: string) => `${demo.appUrl}${path}`;
  const store = () => demo.emulator.store(SHOP);
  const deadlines = () => {
    const stored = store().metafields.get(installationGid, "holiday", "deadlines");
    return stored ? { type: stored.type, value: StorefrontDeadlines.parse(JSON.parse(stored.value)) } : null;
  };
  let installationGid = "";

  beforeAll(async () => {
    database = await mode.target();
    dataDir = database.dataDir ?? mkdtempSync(join(tmpdir(), "storefront-app-"));
    demo = await startDemo({
      apiKey: "storefront-key",
      apiSecret: "storefront-secret",
      shop: SHOP,
      customers: CUSTOMERS,
      seed: 9,
      dataDir,
      databaseUrl: database.databaseUrl,
      install: true,
    });
    installationGid = appInstallationId(demo.emulator.store(SHOP));
  }, 180_000);
  afterAll(async () => {
    await demo?.stop();
    await database?.cleanup();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("writes every customer's segment after the first rescore, as the app's segments say", async () => {
    await waitForSync(demo.appUrl, demo.emulator, SHOP);
    await waitForSegments(demo.appUrl, demo.emulator, SHOP);
    const response = await fetchWithSessionToken(url("/app/segments/export.csv"), demo.emulator, SHOP);
    expect(response.status).toBe(200);
    const appSegments = new Map(
      (await response.text())
        .split("\r\n")
        .slice(1)
        .flatMap((line) => {
          const m = /^(\d+),(?:"(?:[^"]|"")*"|[^,]*),([a-z_]+),/.exec(line);
          return m?.[1] && m[2] ? [[m[1], m[2]] as const] : [];
        }),
    );
    expect(appSegments.size).toBe(CUSTOMERS);
    const held = (id: string) =>
      store().metafields.get(`gid://shopify/Customer/${id}`, "$app", "rfm_segment")?.value;
    await waitFor(
      "every customer's rfm_segment",
      async () => [...appSegments].every(([id, segment]) => held(id) === segment),
      60_000,
      async () => [...appSegments].filter(([id, segment]) => held(id) !== segment),
    );
    for (const i of Array.from({ length: CUSTOMERS }, (_, k) => k))
      expect(store().customer(i).tags.filter((t) => t.startsWith("rfm:"))).toEqual([]);
  });

  it("holds the deadlines after install, and the new ones once Settings saved new cut-offs", async () => {
    expect(installationGid).toMatch(/^gid:\/\/shopify\/AppInstallation\/\d+$/);
    // written at install, in the zone Shopify gives, and again after the backfill
    await waitFor("the install's deadlines in the shop's zone", async () => deadlines()?.value.timeZone === "America/New_York", 60_000);
    expect(deadlines()).toMatchObject({
      type: "json",
      value: { timeZone: "America/New_York", deadlines: [{ date: `${YEAR}-12-15` }, { date: `${YEAR}-12-20` }] },
    });
    const form = new FormData();
    const values = {
      intent: "campaign-settings",
      ...campaignSettingsValues(DEFAULT_CAMPAIGN_SETTINGS),
      "shipping.standard": "12-11",
      "shipping.express": "12-19",
    };
    for (const [key, value] of Object.entries(values)) form.append(key, value);
    const saved = await fetchWithSessionToken(url("/app/settings.data"), demo.emulator, SHOP, {
      method: "POST",
      body: form,
    });
    expect(saved.status).toBe(200);
    await waitFor(
      "the saved cut-offs on the storefront",
      async () => deadlines()?.value.deadlines[0]?.date === `${YEAR}-12-11`,
      60_000,
      async () => deadlines(),
    );
    // New York keeps EST (-05:00) all December: 23:59:59 there is 04:59:59Z the next day
    // (for 2026: 2026-12-12T04:59:59Z = day 20,799 × 86,400 + 17,999 = 1797051599)
    const endOfDay = (day: number) => Date.UTC(YEAR, 11, day + 1, 4, 59, 59) / 1000;
    if (YEAR === 2026) expect(endOfDay(11)).toBe(1797051599);
    expect(deadlines()?.value.deadlines).toEqual([
      { shipping: "standard", date: `${YEAR}-12-11`, until: endOfDay(11), orderBy: `${YEAR}-12-11T23:59:59-05:00` },
      { shipping: "express", date: `${YEAR}-12-19`, until: endOfDay(19), orderBy: `${YEAR}-12-19T23:59:59-05:00` },
    ]);
  });
});
