import { GraphQLError } from "graphql";
import { z } from "zod";
import type { GeneratedStore } from "../generator/store";
import type { CheckoutRecord, CustomerRecord, OrderRecord, ProductRecord, VariantRecord } from "../generator/types";
import { paginate, readPageArgs } from "./connection";
import { compileSearch, exactMatches, type SearchFields } from "./search";
import { formatMinor } from "../generator/money";
import { appInstallationView, metafieldFields } from "./metafield-views";

// Views wrap stored records for graphql-js: function-valued properties are resolved with
// the field's arguments (see execute.ts); `__typename` feeds interface resolution.

export interface ViewContext {
  store: GeneratedStore;
  /** set while a bulk operation runs: root connections return this slice, nothing is paginated */
  bulk?: { from: number; to: number; cache: Map<string, number[]> };
}

const listArgs = z.object({
  query: z.string().nullish(),
  sortKey: z.string().nullish(),
  reverse: z.boolean().nullish(),
});

export const legacyId = (gid: string): number => Number(gid.slice(gid.lastIndexOf("/") + 1));

function customerFields(store: GeneratedStore): SearchFields {
  return {
    id: { kind: "number", get: (i) => store.customerLegacyId(i) },
    created_at: { kind: "time", get: (i) => store.customerCreatedMs(i) },
    updated_at: { kind: "time", get: (i) => store.customerUpdatedMs(i) },
    email: { kind: "string", get: (i) => store.customer(i).email, lookup: (v) => [...store.customersByContact("email", v)] },
    phone: {
      kind: "phone",
      get: (i) => store.customer(i).phone,
      // stored numbers are E.164; another spelling of one is found by the scan
      lookup: (v) => (/^\+\d+$/.test(v) ? [...store.customersByContact("phone", v)] : undefined),
    },
    tag: { kind: "tags", get: (i) => store.customer(i).tags },
    state: { kind: "string", get: (i) => store.customer(i).state },
    country: { kind: "string", get: (i) => store.customer(i).defaultAddress?.countryCodeV2 ?? null },
  };
}

function orderFields(store: GeneratedStore): SearchFields {
  return {
    id: { kind: "number", get: (j) => store.orderLegacyId(j) },
    created_at: { kind: "time", get: (j) => store.orderCreatedMs(j) },
    processed_at: { kind: "time", get: (j) => store.orderCreatedMs(j) },
    updated_at: { kind: "time", get: (j) => Date.parse(store.order(j).updatedAt) },
    customer_id: { kind: "number", get: (j) => { const c = store.orderCustomerIndex(j); return c === null ? null : store.customerLegacyId(c); } },
    email: { kind: "string", get: (j) => store.order(j).email },
    test: { kind: "boolean", get: (j) => store.order(j).test },
    tag: { kind: "tags", get: (j) => store.order(j).tags },
    discount_code: { kind: "string", get: (j) => store.order(j).discountCode },
  };
}

function productFields(store: GeneratedStore): SearchFields {
  const p = (k: number): ProductRecord | undefined => store.products[k];
  return {
    id: { kind: "number", get: (k) => legacyId(p(k)?.id ?? "") },
    created_at: { kind: "time", get: (k) => Date.parse(p(k)?.createdAt ?? "") },
    updated_at: { kind: "time", get: (k) => Date.parse(p(k)?.updatedAt ?? "") },
    status: { kind: "string", get: (k) => p(k)?.status ?? null },
    tag: { kind: "tags", get: (k) => p(k)?.tags ?? [] },
    inventory_total: { kind: "number", get: (k) => p(k)?.totalInventory ?? null },
  };
}

function checkoutFields(store: GeneratedStore): SearchFields {
  return {
    id: { kind: "number", get: (k) => store.checkoutLegacyId(k) },
    created_at: { kind: "time", get: (k) => Date.parse(store.checkout(k).createdAt) },
    updated_at: { kind: "time", get: (k) => Date.parse(store.checkout(k).updatedAt) },
  };
}

/** Filtered, sorted record indices for a root or nested list. */
function select(count: number, args: unknown, fields: SearchFields, sortValue: (key: string) => ((i: number) => number) | undefined, base?: readonly number[]): number[] {
  const parsed = listArgs.safeParse(args);
  const { query, sortKey, reverse } = parsed.success ? parsed.data : {};
  const predicate = compileSearch(query, fields);
  const matched = base ? undefined : exactMatches(query, fields);
  let indices: number[] = matched ?? (base ? [...base] : Array.from({ length: count }, (_, i) => i));
  if (predicate && !matched) indices = indices.filter(predicate);
  const key = sortKey ?? "ID";
  if (key !== "ID") {
    const value = sortValue(key);
    if (!value) throw new GraphQLError(`not emulated: sortKey ${key}`);
    const values = new Map(indices.map((i) => [i, value(i)] as const));
    indices.sort((a, b) => (values.get(a) ?? 0) - (values.get(b) ?? 0) || a - b);
  }
  if (reverse) indices.reverse();
  return indices;
}

export function customerView(store: GeneratedStore, record: CustomerRecord): Record<string, unknown> {
  const i = record._index;
  return {
    ...record,
    __typename: "Customer",
    ...metafieldFields(store.metafields, record.id, () => customerView(store, store.customer(i))),
    addresses: () => (record.defaultAddress ? [{ ...record.defaultAddress, __typename: "MailingAddress" }] : []),
    lastOrder: () => {
      const list = store.ordersOf(i);
      const j = list[list.length - 1];
      return j === undefined ? null : orderView(store, store.order(j));
    },
    orders: (args: unknown, ctx: ViewContext) =>
      paginate(
        select(0, args, orderFields(store), (k) => orderSort(store, k), store.ordersOf(i)),
        readPageArgs(args),
        (j) => store.orderLegacyId(j),
        (j) => orderView(store, store.order(j)),
        ctx.bulk !== undefined,
      ),
  };
}

function orderSort(store: GeneratedStore, key: string): ((j: number) => number) | undefined {
  if (key === "CREATED_AT" || key === "PROCESSED_AT") return (j) => store.orderCreatedMs(j);
  if (key === "UPDATED_AT") return (j) => Date.parse(store.order(j).updatedAt);
  if (key === "TOTAL_PRICE") return (j) => store.order(j)._totalMinor;
  return undefined;
}

export function orderView(store: GeneratedStore, record: OrderRecord): Record<string, unknown> {
  const c = record._customerIndex;
  return {
    ...record,
    __typename: "Order",
    customer: () => (c === null ? null : customerView(store, store.customer(c))),
    lineItems: (args: unknown, ctx: ViewContext) =>
      paginate(
        record.lineItems.map((_, l) => l),
        readPageArgs(args),
        (l) => legacyId(record.lineItems[l]?.id ?? ""),
        (l) => {
          const li = record.lineItems[l];
          const product = li ? store.products[li._productIndex] : undefined;
          const variant = li ? product?.variants[li._variantIndex] : undefined;
          return {
            ...li,
            __typename: "LineItem",
            product: product ? productView(store, product) : null,
            variant: variant && product ? variantView(store, variant) : null,
          };
        },
        ctx.bulk !== undefined,
      ),
  };
}

export function productView(store: GeneratedStore, record: ProductRecord): Record<string, unknown> {
  const prices = record.variants.map((v) => v._priceMinor);
  const money = (minor: number) => ({ __typename: "MoneyV2", amount: formatMinor(minor), currencyCode: store.currencyCode });
  const host = `${store.domain.replace(/\.myshopify\.com$/, "")}.example`;
  return {
    ...record,
    __typename: "Product",
    onlineStoreUrl: record.publishedAt ? `https://${host}/products/${record.handle}` : null,
    priceRangeV2: { __typename: "ProductPriceRangeV2", minVariantPrice: money(Math.min(...prices)), maxVariantPrice: money(Math.max(...prices)) },
    featuredMedia: record._imageUrl
      ? { __typename: "MediaImage", id: `gid://shopify/MediaImage/${record.legacyResourceId}`, status: "READY", preview: { __typename: "MediaPreviewImage", status: "READY", image: { __typename: "Image", url: record._imageUrl } } }
      : null,
    variantsCount: { count: record.variants.length, precision: "EXACT" },
    variants: (args: unknown, ctx: ViewContext) =>
      paginate(record.variants.map((_, v) => v), readPageArgs(args), (v) => legacyId(record.variants[v]?.id ?? ""), (v) => {
        const variant = record.variants[v];
        return variant ? variantView(store, variant) : null;
      }, ctx.bulk !== undefined),
  };
}

export function checkoutView(store: GeneratedStore, record: CheckoutRecord): Record<string, unknown> {
  const c = record._customerIndex;
  return {
    ...record,
    __typename: "AbandonedCheckout",
    customAttributes: [],
    taxLines: [],
    customer: () => (c === null ? null : customerView(store, store.customer(c))),
    lineItems: (args: unknown, ctx: ViewContext) =>
      paginate(
        record.lineItems.map((_, l) => l),
        readPageArgs(args),
        (l) => legacyId(record.lineItems[l]?.id ?? ""),
        (l) => {
          const li = record.lineItems[l];
          const product = li ? store.products[li._productIndex] : undefined;
          const variant = li ? product?.variants[li._variantIndex] : undefined;
          return {
            ...li,
            __typename: "AbandonedCheckoutLineItem",
            customAttributes: [],
            product: product ? productView(store, product) : null,
            variant: variant && product ? variantView(store, variant) : null,
          };
        },
        ctx.bulk !== undefined,
      ),
  };
}

export function variantView(store: GeneratedStore, record: VariantRecord): Record<string, unknown> {
  const product = store.products[record._productIndex];
  return { ...record, __typename: "ProductVariant", product: () => (product ? productView(store, product) : null) };
}

// counts are read per call: customers and orders are appended while the emulator runs
function rootList(count: () => number, fields: SearchFields, sort: (key: string) => ((i: number) => number) | undefined, idOf: (i: number) => number, view: (i: number) => unknown) {
  return (args: unknown, ctx: ViewContext) => {
    if (ctx.bulk) {
      // select once per bulk operation, then serve it slice by slice
      const indices = ctx.bulk.cache.get("root") ?? select(count(), args, fields, sort);
      ctx.bulk.cache.set("root", indices);
      return paginate(indices.slice(ctx.bulk.from, ctx.bulk.to), {}, idOf, view, true);
    }
    return paginate(select(count(), args, fields, sort), readPageArgs(args), idOf, view);
  };
}

function countOf(count: () => number, fields: SearchFields) {
  return (args: unknown) => {
    const parsed = z.object({ query: z.string().nullish(), limit: z.number().int().nullish() }).safeParse(args);
    const predicate = compileSearch(parsed.success ? parsed.data.query : undefined, fields);
    let n = 0;
    const total = count();
    for (let i = 0; i < total; i++) if (!predicate || predicate(i)) n++;
    const limit = parsed.success ? parsed.data.limit : undefined;
    if (limit !== null && limit !== undefined && n > limit) return { count: limit, precision: "AT_LEAST" };
    return { count: n, precision: "EXACT" };
  };
}

/** Node lookup by gid for node(id), nodes(ids), customer(id), order(id), product(id). */
export function nodeById(store: GeneratedStore, gid: string): Record<string, unknown> | null {
  const m = /^gid:\/\/shopify\/(\w+)\/(\d+)$/.exec(gid);
  if (!m) throw new GraphQLError(`Invalid global id '${gid}'`, { extensions: { code: "argumentLiteralsIncompatible" } });
  const id = Number(m[2]);
  switch (m[1]) {
    case "Customer": { const i = store.customerIndexOf(id); return i === undefined ? null : customerView(store, store.customer(i)); }
    case "Order": { const j = store.orderIndexOf(id); return j === undefined ? null : orderView(store, store.order(j)); }
    case "Product": { const k = store.productIndexOf(id); const p = k === undefined ? undefined : store.products[k]; return p ? productView(store, p) : null; }
    case "ProductVariant": { const v = store.variantOf(id); return v ? variantView(store, v) : null; }
    case "AbandonedCheckout": { const k = store.checkoutIndexOf(id); return k === undefined ? null : checkoutView(store, store.checkout(k)); }
    case "AppInstallation": { const view = appInstallationView(store); return view.id === gid ? view : null; }
    case "Shop": return id === shopLegacyId(store) ? shopView(store) : null;
    default: return null;
  }
}

/** The shop's numeric id (gid://shopify/Shop/<id>). */
export const shopLegacyId = (store: GeneratedStore): number => store.legacyShopId;

export function shopView(store: GeneratedStore): Record<string, unknown> {
  const handle = store.domain.replace(/\.myshopify\.com$/, "");
  const id = `gid://shopify/Shop/${shopLegacyId(store)}`;
  return {
    __typename: "Shop",
    id,
    name: store.name,
    email: store.email,
    currencyCode: store.currencyCode,
    ianaTimezone: store.ianaTimezone,
    myshopifyDomain: store.domain,
    primaryDomain: { __typename: "Domain", id: `gid://shopify/Domain/${1000 + (store.seed % 100000)}`, url: `https://${handle}.example`, host: `${handle}.example`, sslEnabled: true },
    billingAddress: { __typename: "ShopAddress", countryCodeV2: "US", country: "United States", city: "New York", provinceCode: "NY", province: "New York", zip: "10001" },
    ...metafieldFields(store.metafields, id, () => shopView(store)),
  };
}

export function queryRootFields(store: GeneratedStore): Record<string, unknown> {
  const customerSort = (key: string) =>
    key === "CREATED_AT" ? (i: number) => store.customerCreatedMs(i) : key === "UPDATED_AT" ? (i: number) => store.customerUpdatedMs(i) : undefined;
  const productSort = (key: string) => (key === "CREATED_AT" || key === "UPDATED_AT" ? (k: number) => k : key === "INVENTORY_TOTAL" ? (k: number) => store.products[k]?.totalInventory ?? 0 : undefined);
  const byId = (type: string) => (args: unknown) => {
    const node = nodeById(store, z.object({ id: z.string() }).parse(args).id);
    return node && node.__typename === type ? node : null;
  };
  return {
    shop: shopView(store),
    currentAppInstallation: appInstallationView(store),
    customers: rootList(() => store.customerCount, customerFields(store), customerSort, (i) => store.customerLegacyId(i), (i) => customerView(store, store.customer(i))),
    customersCount: countOf(() => store.customerCount, customerFields(store)),
    customer: byId("Customer"),
    orders: rootList(() => store.orderCount, orderFields(store), (k) => orderSort(store, k), (j) => store.orderLegacyId(j), (j) => orderView(store, store.order(j))),
    ordersCount: countOf(() => store.orderCount, orderFields(store)),
    order: byId("Order"),
    products: rootList(() => store.products.length, productFields(store), productSort, (k) => legacyId(store.products[k]?.id ?? ""), (k) => {
      const p = store.products[k];
      return p ? productView(store, p) : null;
    }),
    productsCount: countOf(() => store.products.length, productFields(store)),
    product: byId("Product"),
    productVariant: byId("ProductVariant"),
    // the abandoned ones (recovered since or not); a checkout completed into its order at once is not listed
    abandonedCheckouts: (args: unknown, ctx: ViewContext) => {
      const abandoned = store.abandonedCheckoutIndices();
      const sort = (key: string) =>
        key === "CREATED_AT" ? (k: number) => Date.parse(store.checkout(k).createdAt) : key === "CHECKOUT_ID" ? (k: number) => k : undefined;
      const view = (k: number) => checkoutView(store, store.checkout(k));
      if (ctx.bulk) {
        const indices = ctx.bulk.cache.get("root") ?? select(0, args, checkoutFields(store), sort, abandoned);
        ctx.bulk.cache.set("root", indices);
        return paginate(indices.slice(ctx.bulk.from, ctx.bulk.to), {}, (k) => store.checkoutLegacyId(k), view, true);
      }
      return paginate(select(0, args, checkoutFields(store), sort, abandoned), readPageArgs(args), (k) => store.checkoutLegacyId(k), view);
    },
    abandonedCheckoutsCount: (args: unknown) => {
      const parsed = z.object({ query: z.string().nullish() }).safeParse(args);
      const predicate = compileSearch(parsed.success ? parsed.data.query : undefined, checkoutFields(store));
      const abandoned = store.abandonedCheckoutIndices();
      return { count: predicate ? abandoned.filter(predicate).length : abandoned.length, precision: "EXACT" };
    },
    node: (args: unknown) => nodeById(store, z.object({ id: z.string() }).parse(args).id),
    nodes: (args: unknown) => z.object({ ids: z.array(z.string()) }).parse(args).ids.map((id) => nodeById(store, id)),
  };
}
