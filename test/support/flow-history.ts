import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { customerLine, orderLines, writeLines } from "../bench/bulk-jsonl";
import { checkoutPayload, type GeneratedStore, type ProductRecord } from "../emulator/index";

// A generated store's history as the flows command reads it: customers and orders as the bulk
// export writes them (orders followed by their line items), every checkout as its checkouts/*
// webhook payload, the products as the backfill's products export (variants as __parentId lines),
// and shop.json.

export interface FlowHistoryFiles {
  customers: string;
  orders: string;
  checkouts: string;
  products: string;
  shop: string;
}

/** A product line of the backfill's products export, then one line per variant. */
export function productLines(p: ProductRecord): string {
  const cheapest = Math.min(...p.variants.map((v) => v._priceMinor));
  const amount = `${Math.floor(cheapest / 100)}.${String(cheapest % 100).padStart(2, "0")}`;
  const product = JSON.stringify({
    id: p.id,
    title: p.title,
    handle: p.handle,
    productType: p.productType,
    tags: p.tags,
    status: p.status,
    publishedAt: p.publishedAt,
    updatedAt: p.updatedAt,
    tracksInventory: p.tracksInventory,
    priceRangeV2: { minVariantPrice: { amount, currencyCode: "USD" } },
    featuredMedia: null,
  });
  const variants = p.variants.map((v) =>
    JSON.stringify({ id: v.id, availableForSale: v.availableForSale, __parentId: p.id }),
  );
  return [product, ...variants].join("\n");
}

export async function writeFlowHistory(store: GeneratedStore, dir: string): Promise<FlowHistoryFiles> {
  const files: FlowHistoryFiles = {
    customers: join(dir, "customers.jsonl"),
    orders: join(dir, "orders.jsonl"),
    checkouts: join(dir, "checkouts.jsonl"),
    products: join(dir, "products.jsonl"),
    shop: join(dir, "shop.json"),
  };
  await writeLines(files.customers, store.customerCount, (i) => customerLine(store.customer(i)));
  await writeLines(files.orders, store.orderCount, (j) => orderLines(store.order(j), store));
  await writeLines(files.checkouts, store.checkoutCount, (k) => {
    const checkout = store.checkout(k);
    const customer = checkout._customerIndex === null ? null : store.customer(checkout._customerIndex);
    return JSON.stringify(checkoutPayload(checkout, customer));
  });
  await writeLines(files.products, store.products.length, (k) => {
    const product = store.products[k];
    if (!product) throw new RangeError(`no product ${k}`);
    return productLines(product);
  });
  writeFileSync(
    files.shop,
    JSON.stringify({
      ianaTimezone: store.ianaTimezone,
      currencyCode: store.currencyCode,
      countryCode: "US",
      myshopifyDomain: store.domain,
    }),
  );
  return files;
}
