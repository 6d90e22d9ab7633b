import type { Emulator } from "../../test/emulator/index";
import { seededRng } from "../../app/results/random";
import { DESKTOP_USER_AGENT } from "../../test/support/browser";
import { trackedLinksIn } from "./tracked-links";

// The demo's shoppers after a campaign's first send, driven like real ones: some open the email
// (a browser fetching the pixel; some also through Apple's privacy proxy, which the app flags),
// some click a product link in it (the app's tracked redirect, then the storefront page it leads
// to), half of those buy what they looked at (the emulator places the order with that landing page
// and sends orders/create). Every subscribed customer of the store, sent to or not, also buys on
// their own at a base rate, so the holdout has orders too and the lift the app measures is the
// clicks' effect, not a made-up figure. Seeded: the same run, the same shoppers.

export interface ShopperRates {
  open: number;
  appleProxy: number;
  click: number;
  buyAfterClick: number;
  /** anyone subscribed, messaged or not */
  buyOnTheirOwn: number;
}

export const DEMO_SHOPPERS: ShopperRates = {
  open: 0.45,
  appleProxy: 0.2,
  click: 0.15,
  buyAfterClick: 0.5,
  buyOnTheirOwn: 0.03,
};

export interface ShoppersResult {
  emails: number;
  opened: number;
  proxied: number;
  clicked: number;
  boughtAfterClick: number;
  boughtOnTheirOwn: number;
  /** orders of customers who clicked a tracked link: each must be credited to the campaign */
  creditable: number;
}

const browser = { "User-Agent": DESKTOP_USER_AGENT };

export async function simulateShoppers(
  ctx: { appUrl: string; emulator: Emulator; shop: string },
  options: { seed: number; rates?: ShopperRates; campaignKeys: ReadonlySet<string> },
): Promise<ShoppersResult> {
  const rates = options.rates ?? DEMO_SHOPPERS;
  const stream = seededRng(options.seed >>> 0);
  const random = () => stream.nextFloat();
  const store = ctx.emulator.store(ctx.shop);
  const indexByEmail = new Map<string, number>();
  store.customers.slice().forEach((c, i) => {
    if (c.email) indexByEmail.set(c.email, i);
  });
  const product = store.products.findIndex(
    (p) => p.status === "ACTIVE" && p.variants.some((v) => v.availableForSale),
  );
  const result: ShoppersResult = {
    emails: 0,
    opened: 0,
    proxied: 0,
    clicked: 0,
    boughtAfterClick: 0,
    boughtOnTheirOwn: 0,
    creditable: 0,
  };
  const buyers = new Set<number>();
  const clickers = new Set<number>();
  const buy = (customerIndex: number, landingSite: string | null) => {
    buyers.add(customerIndex);
    if (clickers.has(customerIndex)) result.creditable += 1;
    ctx.emulator.placeOrder(ctx.shop, {
      customerIndex,
      lines: [
        { productIndex: Math.max(0, product), variantIndex: 0, quantity: 1 + Math.floor(random() * 2) },
      ],
      landingSite,
    });
  };

  const mails = ctx.emulator.sinks
    .mail(Number.MAX_SAFE_INTEGER)
    .filter((m) => m.key !== null && options.campaignKeys.has(m.key));
  for (const mail of mails) {
    result.emails += 1;
    const customerIndex = indexByEmail.get(mail.to[0] ?? "");
    const html = mail.html ?? "";
    const pixel = /<img src="([^"]+\/t\/o\/[^"]+)"/.exec(html)?.[1]?.replaceAll("&amp;", "&");
    if (pixel && random() < rates.appleProxy) {
      result.proxied += 1;
      await fetch(pixel, { headers: { "User-Agent": "Mozilla/5.0" } });
    }
    if (!pixel || random() >= rates.open) continue;
    result.opened += 1;
    await fetch(pixel, { headers: browser });
    const link = trackedLinksIn(html.replaceAll("&amp;", "&"), ctx.appUrl)[0];
    if (!link || random() >= rates.click) continue;
    const answer = await fetch(link, { headers: browser, redirect: "manual" });
    const landing = answer.headers.get("location");
    if (answer.status !== 302 || !landing) continue;
    result.clicked += 1;
    if (customerIndex !== undefined) clickers.add(customerIndex);
    if (customerIndex === undefined || random() >= rates.buyAfterClick) continue;
    buy(customerIndex, landing);
    result.boughtAfterClick += 1;
  }

  store.customers.slice().forEach((c, i) => {
    if (buyers.has(i) || c.emailMarketingConsent?.marketingState !== "SUBSCRIBED") return;
    if (random() >= rates.buyOnTheirOwn) return;
    buy(i, null);
    result.boughtOnTheirOwn += 1;
  });
  return result;
}

export function formatShoppers(r: ShoppersResult): string {
  return (
    `shoppers: of ${r.emails} emails ${r.opened} opened (${r.proxied} also fetched by Apple's privacy proxy), ` +
    `${r.clicked} clicked a product, ${r.boughtAfterClick} bought after clicking; ` +
    `${r.boughtOnTheirOwn} subscribed customers bought on their own (sent to or held out)`
  );
}
