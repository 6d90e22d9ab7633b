// Bulk-export JSONL lines of a generated store, in the shape the app's customers and orders bulk queries produce
// (test/bench/backfill.bench.ts checks it against the emulator's own bulk serializer). Used by the
// backfill and segments CLI benchmarks and the CLI's tests.

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import type { GeneratedStore } from "../emulator/index";

type CustomerRecord = ReturnType<GeneratedStore["customer"]>;
type OrderRecord = ReturnType<GeneratedStore["order"]>;

export function customerLine(c: CustomerRecord): string {
  const consent = (x: CustomerRecord["emailMarketingConsent"] | CustomerRecord["smsMarketingConsent"]) =>
    x
      ? {
          marketingState: x.marketingState,
          marketingOptInLevel: x.marketingOptInLevel,
          consentUpdatedAt: x.consentUpdatedAt,
        }
      : null;
  return JSON.stringify({
    id: c.id,
    firstName: c.firstName,
    lastName: c.lastName,
    email: c.email,
    phone: c.phone,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    locale: c.locale,
    tags: c.tags,
    emailMarketingConsent: consent(c.emailMarketingConsent),
    smsMarketingConsent: consent(c.smsMarketingConsent),
    defaultAddress: c.defaultAddress
      ? {
          countryCodeV2: c.defaultAddress.countryCodeV2,
          provinceCode: c.defaultAddress.provinceCode,
          timeZone: c.defaultAddress.timeZone,
        }
      : null,
    statistics: { rfmGroup: c.statistics.rfmGroup },
  });
}

export function orderLine(o: OrderRecord): string {
  const money = (m: OrderRecord["currentTotalPriceSet"]) => ({
    shopMoney: { amount: m.shopMoney.amount, currencyCode: m.shopMoney.currencyCode },
  });
  return JSON.stringify({
    id: o.id,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    cancelledAt: o.cancelledAt,
    test: o.test,
    customer:
      o._customerIndex === null
        ? null
        : { id: `gid://shopify/Customer/${7_100_000_000_000 + o._customerIndex + 1}` },
    currentTotalPriceSet: money(o.currentTotalPriceSet),
    totalDiscountsSet: money(o.totalDiscountsSet),
    discountCodes: o.discountCodes,
    landingPageUrl: o.landingPageUrl,
    customerJourneySummary: o.customerJourneySummary ? { firstVisit: null } : null,
  });
}

/** An order's line, then one line per line item naming its product (`__parentId`), as the export writes them. */
export function orderLines(o: OrderRecord, store: GeneratedStore): string {
  const children = o.lineItems.map((li) => {
    const product = store.products[li._productIndex];
    return JSON.stringify({ id: li.id, product: product ? { id: product.id } : null, __parentId: o.id });
  });
  return [orderLine(o), ...children].join("\n");
}

/** Writes `count` entries (each one line or a family of lines), 2,000 at a time, minding backpressure. */
export async function writeLines(file: string, count: number, line: (i: number) => string): Promise<void> {
  const out = createWriteStream(file);
  let buffer: string[] = [];
  for (let i = 0; i < count; i++) {
    buffer.push(line(i));
    if (buffer.length === 2000 || i === count - 1) {
      if (!out.write(`${buffer.join("\n")}\n`)) await once(out, "drain");
      buffer = [];
    }
  }
  out.end();
  await once(out, "finish");
}

export async function writeStoreJsonl(
  store: GeneratedStore,
  customersFile: string,
  ordersFile: string,
  customers: number,
  orders: number,
): Promise<void> {
  await writeLines(customersFile, customers, (i) => customerLine(store.customer(i)));
  await writeLines(ordersFile, orders, (j) => orderLines(store.order(j), store));
}
