import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createLiquid } from "./liquid";
import { liquidGlobals, rootUrl, type PageRequest } from "./objects";
import { translate } from "./translate";
import type { RenderedBlocks } from "./blocks";

// A small Shopify-like theme (layout, home, product, login, 404) for the storefront: inline CSS, no
// image or font requests, so that it is a fair Lighthouse baseline for what the app's blocks cost.

const THEME_DIR = fileURLToPath(new URL("./theme/", import.meta.url));
const read = (name: string) => readFileSync(`${THEME_DIR}${name}`, "utf8");
const LOCALES: Record<string, unknown> = {
  en: JSON.parse(read("locales/en.default.json")),
  fr: JSON.parse(read("locales/fr.json")),
};

export type ThemeTemplate = "index" | "product" | "login" | "404";

export interface PageContent {
  /** a template of the theme, or HTML already rendered (an app proxy's Liquid) */
  template: ThemeTemplate | { html: string };
  /** the extension's blocks, none when the extension is off */
  blocks: RenderedBlocks | undefined;
  /** more objects for the template (product, login_error…) */
  assigns?: Record<string, unknown>;
  title?: string;
}

function themeLiquid(page: PageRequest) {
  return createLiquid({
    timeZone: page.store.ianaTimezone,
    now: () => page.now,
    currencyCode: page.store.currencyCode,
    translate: (key, named) => translate(LOCALES, "en", page.locale, key, named),
    assetUrl: (file) => `/s/${page.store.domain}/assets/${encodeURIComponent(file)}`,
  });
}

/** The store's first published products, as the home page's grid shows them. */
export function featuredProducts(page: PageRequest, count = 8): Array<Record<string, unknown>> {
  const root = rootUrl(page.store.domain, page.locale);
  return page.store.products
    .filter((p) => p.status === "ACTIVE" && p.publishedAt !== null)
    .slice(0, count)
    .map((p) => ({
      title: p.title,
      handle: p.handle,
      vendor: p.vendor,
      url: `${root}products/${p.handle}`,
      price: Math.min(...p.variants.map((v) => v._priceMinor)),
      available: p.variants.some((v) => v.availableForSale),
    }));
}

/** Liquid an app proxy answered (application/liquid), rendered with the theme's objects. */
export async function renderProxyLiquid(page: PageRequest, source: string): Promise<string> {
  return themeLiquid(page).parseAndRender(source, {}, { globals: liquidGlobals(page) });
}

export async function renderPage(page: PageRequest, content: PageContent): Promise<string> {
  const liquid = themeLiquid(page);
  const globals = { ...liquidGlobals(page), shop_path: `/s/${page.store.domain}/` };
  const blocks = content.blocks;
  const inner =
    typeof content.template === "string"
      ? await liquid.parseAndRender(read(`${content.template}.liquid`), { products: featuredProducts(page), app_blocks: blocks?.section.join("\n") ?? "", ...content.assigns }, { globals })
      : content.template.html;
  return liquid.parseAndRender(
    read("layout.liquid"),
    {
      page_title: content.title ?? "",
      content_for_header: [...(blocks?.headTags ?? []), ...(blocks?.head ?? [])].join("\n"),
      content_for_layout: inner,
      body_embeds: blocks?.body.join("\n") ?? "",
    },
    { globals },
  );
}
