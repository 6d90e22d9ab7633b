import type { GeneratedStore } from "../generator/store";
import { APP_ID, APP_NAMESPACE, type MetafieldRecord } from "../generator/metafields";
import { typedValue } from "../graphql/metafield-rules";
import { appInstallationId } from "../graphql/metafield-views";
import { MetafieldDrop } from "./liquid";

// The global Liquid objects of a storefront page, in Shopify's names: shop, customer, request,
// routes, localization (and, for theme app extensions, app).

export const LANGUAGES = {
  en: { iso_code: "en", name: "English", endonym_name: "English", primary: true },
  fr: { iso_code: "fr", name: "French", endonym_name: "français", primary: false },
} as const;
export type Locale = keyof typeof LANGUAGES;

export interface PageRequest {
  store: GeneratedStore;
  locale: Locale;
  /** the request's path, as the browser sees it */
  path: string;
  /** "http://127.0.0.1:1234" */
  origin: string;
  host: string;
  /** the logged-in customer's index in the store, undefined: anonymous */
  customerIndex: number | undefined;
  /** "index", "product", "page", "customers/login", "404" */
  pageType: string;
  /** the emulator's clock when the request came */
  now: Date;
}

/** "/s/<shop>/", with "fr/" for French */
export function rootUrl(domain: string, locale: Locale): string {
  return locale === "en" ? `/s/${domain}/` : `/s/${domain}/${locale}/`;
}

/** metafields grouped by namespace; the app's "$app" also under app--<id>, as Shopify names it */
export function metafieldsByNamespace(records: readonly MetafieldRecord[]): Record<string, Record<string, MetafieldDrop>> {
  const out: Record<string, Record<string, MetafieldDrop>> = {};
  for (const m of records) {
    const group = (out[m.namespace] ??= {});
    group[m.key] = new MetafieldDrop(typedValue(m.type, m.value), m.type);
  }
  if (out[APP_NAMESPACE]) out[`app--${APP_ID}`] = out[APP_NAMESPACE];
  return out;
}

function customerObject(store: GeneratedStore, i: number): Record<string, unknown> {
  const c = store.customer(i);
  return {
    id: Number(c.legacyResourceId),
    email: c.email,
    first_name: c.firstName,
    last_name: c.lastName,
    name: c.displayName,
    phone: c.phone,
    tags: c.tags,
    has_account: c.state === "ENABLED",
    accepts_marketing: c.emailMarketingConsent?.marketingState === "SUBSCRIBED",
    orders_count: Number(c.numberOfOrders),
    total_spent: c._amountSpentMinor,
    metafields: metafieldsByNamespace(store.metafields.list(c.id)),
  };
}

export function liquidGlobals(page: PageRequest): Record<string, unknown> {
  const { store } = page;
  const domain = store.domain;
  const root = rootUrl(domain, page.locale);
  const language = LANGUAGES[page.locale];
  const country = { iso_code: "US", name: "United States", currency: { iso_code: store.currencyCode, symbol: "$", name: "United States Dollar" } };
  return {
    shop: {
      name: store.name,
      email: store.email,
      url: `${page.origin}/s/${domain}`,
      secure_url: `${page.origin}/s/${domain}`,
      domain: page.host,
      permanent_domain: domain,
      locale: page.locale,
      currency: store.currencyCode,
      money_format: "${{amount}}",
      metafields: metafieldsByNamespace(store.metafields.list(`gid://shopify/Shop/${store.legacyShopId}`)),
    },
    customer: page.customerIndex === undefined ? null : customerObject(store, page.customerIndex),
    request: { path: page.path, host: page.host, origin: page.origin, locale: language, design_mode: false, page_type: page.pageType },
    routes: {
      root_url: root,
      account_url: `${root}account`,
      account_login_url: `${root}account/login`,
      account_logout_url: `${root}account/logout`,
      account_register_url: `${root}account/register`,
      cart_url: `${root}cart`,
      search_url: `${root}search`,
      collections_url: `${root}collections`,
      all_products_collection_url: `${root}collections/all`,
    },
    localization: { language, available_languages: Object.values(LANGUAGES), country, available_countries: [country] },
  };
}

/** `app`: the app-data metafields of the app's installation (theme app extensions only). */
export function appObject(store: GeneratedStore): Record<string, unknown> {
  return { metafields: metafieldsByNamespace(store.metafields.list(appInstallationId(store))) };
}
