import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphqlClient, SHOP, startTestEmulator } from "./helpers";
import type { Emulator } from "./index";

// The storefront page with the fixture extension: app blocks in a section and the app embed before
// </body>, settings from the schema then the emulator's, translations (French, fallback, escaping,
// interpolation, plurals), the app-data and customer metafields the blocks read, ?extension=off,
// and the extension's assets.

const NOW = new Date("2026-12-10T15:00:00Z");
const DEADLINES = {
  version: 1,
  occasion: "Christmas",
  deadlines: [{ shipping: "standard", date: "2026-12-15", until: 1797397199, orderBy: "2026-12-15T23:59:59-05:00" }],
};
let emulator: Emulator;
let gql: Awaited<ReturnType<typeof graphqlClient>>;
let base: string;

beforeAll(async () => {
  emulator = await startTestEmulator({
    now: () => NOW,
    storefront: { extensionDir: new URL("./storefront/fixtures/holiday-fixture", import.meta.url).pathname },
  });
  gql = await graphqlClient(emulator);
  base = emulator.storefrontUrl(SHOP);
});
afterAll(() => emulator.close());

const page = async (path = "", init?: RequestInit) => {
  const res = await fetch(`${base}${path}`, init);
  return { status: res.status, html: await res.text(), headers: res.headers };
};
const count = (html: string, text: string) => html.split(text).length - 1;
const SET = `mutation Set($metafields: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $metafields) { userErrors { field message } } }`;

async function setMetafield(ownerId: string, namespace: string, key: string, type: string, value: string) {
  const { json } = await gql(SET, { metafields: [{ ownerId, namespace, key, type, value }] });
  expect(json.data).toEqual({ metafieldsSet: { userErrors: [] } });
}

describe("the storefront page", () => {
  it("is a theme page: the shop's name, a hero, a product grid, no request elsewhere", async () => {
    const { status, html, headers } = await page();
    expect(status).toBe(200);
    expect(headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<a class="header__logo" href="/s/test-shop.myshopify.com/">Test Shop</a>');
    expect(html).toContain("<h1>Gifts for the holidays</h1>");
    const published = emulator.store(SHOP).products.filter((p) => p.status === "ACTIVE" && p.publishedAt !== null);
    expect(count(html, 'class="card"')).toBe(Math.min(8, published.length));
    expect(html).toContain(`href="/s/${SHOP}/products/${published[0]?.handle ?? ""}"`);
    // the canonical link names the page; nothing is fetched from another origin
    expect(html.replace(/<link rel="canonical"[^>]*>/, "")).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it("renders the app block with its schema's defaults, then the settings set through the emulator", async () => {
    const before = (await page()).html;
    expect(before).toMatch(/<div id="shopify-block-[\w-]+__signup" class="shopify-block shopify-app-block"><form method="post" action="\/s\/test-shop\.myshopify\.com\/apps\/holiday\/signup"/);
    expect(before).toContain("<h2>Get our holiday reminders</h2>");
    expect(before).toContain('<input type="tel" name="phone" aria-label="Phone">');
    expect(before).toContain('<small class="fixture-disclosure">Msg & data rates may apply.</small>');
    expect(before).toContain('<link rel="stylesheet" href="/s/test-shop.myshopify.com/extensions/holiday-fixture/assets/signup.css" media="all">');

    emulator.storefront.setBlockSettings(SHOP, "signup", { heading: "Never miss <Christmas>", show_phone: false });
    emulator.storefront.setBlockSettings(SHOP, "signup", { disclosure: "Up to 4 msgs/month." });
    const after = (await page()).html;
    expect(after).toContain("<h2>Never miss &lt;Christmas&gt;</h2>");
    expect(after).not.toContain('name="phone"');
    expect(after).toContain('<small class="fixture-disclosure">Up to 4 msgs/month.</small>');
    emulator.storefront.setBlockSettings(SHOP, "signup", { heading: "Get our holiday reminders", show_phone: true, disclosure: null });
  });

  it("translates: interpolation, HTML escaping except _html keys, plurals, the missing-key text", async () => {
    const { html } = await page();
    expect(html).toContain('<p class="fixture-intro">News from Test Shop &amp; friends</p>');
    expect(html).toContain('<p class="fixture-escaped">Hello &lt;b&gt;</p>');
    expect(html).toContain('<p class="fixture-count">1 gift / 3 gifts</p>');
    expect(html).toContain('<p class="fixture-missing">translation missing: en.signup.nope</p>');
  });

  it("in French at /s/<shop>/fr/: the French strings, English where French has none, French routes", async () => {
    const { status, html } = await page("fr/");
    expect(status).toBe(200);
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('<p class="fixture-intro">Les nouvelles de Test Shop</p>');
    expect(html).toContain('aria-label="Phone"');
    expect(html).toContain('action="/s/test-shop.myshopify.com/fr/apps/holiday/signup"');
    expect(html).toContain('<input type="hidden" name="locale" value="fr">');
    expect(html).toContain('<input type="hidden" name="return_to" value="/s/test-shop.myshopify.com/fr/">');
    expect(html).toContain("<h1>Des cadeaux pour les fêtes</h1>");
  });

  it("shows the app embed from the app-data metafield, before </body>, and hides it when turned off", async () => {
    expect((await page()).html).not.toContain("fixture-banner");
    const { json } = await gql(`{ currentAppInstallation { id } }`);
    const owner = JSON.stringify(json.data).match(/gid:\/\/shopify\/AppInstallation\/\d+/)?.[0] ?? "";
    await setMetafield(owner, "holiday", "deadlines", "json", JSON.stringify(DEADLINES));
    const { html } = await page();
    const banner = html.indexOf('<div class="fixture-banner"');
    expect(banner).toBeGreaterThan(html.indexOf("</footer>"));
    expect(banner).toBeLessThan(html.indexOf("</body>"));
    expect(html).toContain('data-until="1797397199" data-kind="json"');
    expect(html).toContain("<strong>Christmas</strong>: order by Tuesday, December 15");
    // 15:00 UTC is 10:00 in the shop's zone (America/New_York)
    expect(html).toContain('<span class="fixture-now">2026-12-10 10:00');
    expect(html).toContain(`<script type="application/json" class="fixture-data">${JSON.stringify(DEADLINES)}</script>`);
    expect(html).toContain('<script src="/s/test-shop.myshopify.com/extensions/holiday-fixture/assets/banner.js" defer></script>');
    const french = (await page("fr/")).html;
    expect(french).toContain("<strong>Christmas</strong> : commandez avant le Tuesday, December 15");

    emulator.storefront.setEmbedEnabled(SHOP, "banner", false);
    const off = (await page()).html;
    expect(off).not.toContain("fixture-banner");
    expect(off).not.toContain("banner.js");
    emulator.storefront.setEmbedEnabled(SHOP, "banner", true);
  });

  it("logs a customer in by cookie: their name on the page, and the VIP block from their $app metafield", async () => {
    const store = emulator.store(SHOP);
    const vip = store.customer(7);
    await setMetafield(vip.id, "$app", "rfm_segment", "single_line_text_field", "vip");
    const login = await fetch(`${base}account/login?customer_id=${vip.legacyResourceId}`, { redirect: "manual" });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const { html } = await page("", { headers: { Cookie: cookie } });
    expect(html).toContain(`<span data-customer-id="${vip.legacyResourceId}">Signed in as ${vip.displayName}</span>`);
    expect(html).toContain(`<p class="fixture-vip">Early access for you, ${vip.firstName}</p>`);
    expect(html).toContain(`<p class="fixture-customer">${vip.email ?? ""}</p>`);

    const other = store.customer(8);
    const otherLogin = await fetch(`${base}account/login?customer_id=${other.legacyResourceId}`, { redirect: "manual" });
    const otherHtml = (await page("", { headers: { Cookie: (otherLogin.headers.get("set-cookie") ?? "").split(";")[0] ?? "" } })).html;
    expect(otherHtml).not.toContain("fixture-vip");
    const anonymous = (await page()).html;
    expect(anonymous).not.toContain("fixture-vip");
    expect(anonymous).toContain('<a href="/s/test-shop.myshopify.com/account/login">Log in</a>');
    expect((await page("account/login?customer_id=1")).status).toBe(404);
  });

  it("?extension=off renders the same page without any block, asset or embed", async () => {
    const { html } = await page("?extension=off");
    expect(html).toContain("<h1>Gifts for the holidays</h1>");
    expect(html).not.toContain("shopify-block");
    expect(html).not.toContain("/extensions/");
    expect(html).not.toContain("fixture-");
  });

  it("serves the extension's assets with their content type and a long cache, and nothing else", async () => {
    const js = await fetch(`${base}extensions/holiday-fixture/assets/banner.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(js.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await js.text()).toContain('document.documentElement.dataset.fixtureBanner = "loaded";');
    const again = await fetch(`${base}extensions/holiday-fixture/assets/banner.js`, { headers: { "If-None-Match": js.headers.get("etag") ?? "" } });
    expect(again.status).toBe(304);
    const css = await fetch(`${base}extensions/holiday-fixture/assets/signup.css`);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    for (const path of ["extensions/holiday-fixture/assets/nope.js", "extensions/holiday-fixture/assets/..%2Fblocks%2Fvip.liquid", "extensions/other/assets/banner.js"])
      expect((await fetch(`${base}${path}`)).status, path).toBe(404);
    expect((await fetch(`${base}no/such/page`)).status).toBe(404);
    expect((await fetch(`${emulator.url}/s/nope.myshopify.com/`)).status).toBe(404);
  });
});
