import type { Emulator } from "../../test/emulator/index";
import type { DemoCheck } from "./check";

// The demo's storefront: the emulator's shop page with the theme app extension, the deadline
// banner read from the app's metafield, and one shopper signing up for texts through the form as
// a browser without JavaScript posts it (through the emulator's signed app proxy).

interface Ctx {
  emulator: Emulator;
  shop: string;
}

export interface StorefrontDemo {
  url: string;
  banner: string | null;
  signup: string;
  checks: DemoCheck[];
}

const hidden = (html: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1]?.replace(/&(amp|quot|#39|lt|gt);/g, (_, e: string) => ({ amp: "&", quot: '"', "#39": "'", lt: "<", gt: ">" })[e] ?? "") ?? "";

async function waitForBanner(url: string, timeoutMs: number): Promise<{ html: string; banner: string | null }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const html = await (await fetch(url)).text();
    const message = /class="hs-banner__msg"[^>]*>([\s\S]*?)<\/p>/.exec(html)?.[1];
    const banner = message ? message.replace(/<[^>]+>/g, "").replace(/\s+/g, " ").trim() : null;
    if (banner || Date.now() > deadline) return { html, banner };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export async function runStorefrontDemo(ctx: Ctx): Promise<StorefrontDemo> {
  const url = ctx.emulator.storefrontUrl(ctx.shop);
  const { html, banner } = await waitForBanner(url, 30_000);
  const phone = "+12125550199";
  const form = new URLSearchParams({
    phone,
    sms_consent: "yes",
    sms_disclosure: hidden(html, "sms_disclosure"),
    locale: "en",
    page_url: "/",
    source: "signup-form",
    return_to: "/",
    website: "",
  });
  const response = await fetch(`${url}apps/holiday/signup`, { method: "POST", body: form, headers: { "User-Agent": "Mozilla/5.0 (demo shopper)" } });
  const page = await response.text();
  const customer = ctx.emulator.store(ctx.shop).customers.slice().find((c) => c.phone === phone);
  const consent = customer?.smsMarketingConsent;
  const signup = `a shopper signed up for texts through the form without JavaScript: HTTP ${response.status}, "${/role="status">([^<]*)</.exec(page)?.[1] ?? "no message"}", Shopify now holds ${consent ? `${consent.marketingState} (${consent.marketingOptInLevel})` : "no customer"}`;
  return {
    url,
    banner,
    signup,
    checks: [
      { name: "storefront shows the deadline banner", ok: banner !== null && banner.startsWith("Order by"), detail: banner ?? "no banner on the page" },
      { name: "storefront signup subscribes the shopper in Shopify", ok: consent?.marketingState === "SUBSCRIBED" && consent.marketingOptInLevel === "SINGLE_OPT_IN", detail: signup },
    ],
  };
}
