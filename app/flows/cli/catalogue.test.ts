import { describe, expect, it } from "vitest";
import type { ProductRow } from "../../sync/rows";
import { catalogueOf, CROSS_SELL_CANDIDATES } from "./catalogue";
import type { FileOrder } from "./orders-file";

const from = new Date("2026-11-24T00:00:00Z");
const now = new Date("2026-11-27T00:00:00Z");
let n = 0n;
const order = (productIds: bigint[], over: Partial<FileOrder> = {}): FileOrder => ({
  id: ++n,
  customerId: null,
  shopifyCreatedAt: new Date("2026-10-01T00:00:00Z"),
  cancelledAt: null,
  test: false,
  totalMinor: 0n,
  discountMinor: 0n,
  productIds,
  ...over,
});
const product = (id: bigint, over: Partial<ProductRow> = {}): ProductRow => ({
  id,
  title: `P${id}`,
  handle: `p${id}`,
  productType: "",
  tags: [],
  status: "ACTIVE",
  publishedAt: new Date("2026-01-01T00:00:00Z"),
  priceMinor: 100n,
  currencyCode: "USD",
  imageUrl: null,
  inStock: true,
  tracksInventory: true,
  availableVariantIds: [id * 10n],
  shopifyUpdatedAt: new Date("2026-11-01T00:00:00Z"),
  ...over,
});

describe("catalogueOf", () => {
  const orders = [
    order([3n, 1n]),
    order([3n]),
    order([2n]),
    // not counted: after --from, a test, cancelled
    order([2n], { shopifyCreatedAt: new Date("2026-11-25T00:00:00Z") }),
    order([2n], { test: true }),
    order([2n], { cancelledAt: new Date("2026-10-02T00:00:00Z") }),
  ];

  it("without a products file: every product in stock; best sellers from the orders before --from, ties by id", () => {
    const c = catalogueOf(null, orders, from);
    expect(c.bestSellers).toEqual(["3", "1", "2"]);
    expect(c.offerable(999n, null, now)).toBe(true);
    expect(c.fromFile).toBe(false);
  });

  it("with one: active, in-stock products only; a variant or a product off the Online Store is not offered", () => {
    const c = catalogueOf(
      [
        product(1n),
        product(2n, { inStock: false, availableVariantIds: [] }),
        product(3n, { publishedAt: null }),
        product(4n, { status: "DRAFT" }),
        product(5n),
        product(5n, {
          availableVariantIds: [],
          inStock: false,
          shopifyUpdatedAt: new Date("2026-11-02T00:00:00Z"),
        }),
      ],
      orders,
      from,
    );
    expect(c.bestSellers).toEqual(["3", "1"]);
    expect(c.offerable(1n, 10n, now)).toBe(true);
    expect(c.offerable(1n, 11n, now)).toBe(false);
    expect(c.offerable(2n, null, now)).toBe(false);
    expect(c.offerable(3n, null, now)).toBe(false);
    expect(c.offerable(4n, null, now)).toBe(false);
    // the later version of a product listed twice
    expect(c.offerable(5n, 50n, now)).toBe(false);
    expect(c.offerable(6n, null, now)).toBe(false);
  });

  it("keeps the app's number of candidates", () => {
    const many = Array.from({ length: 30 }, (_, i) => order([BigInt(i + 1)]));
    expect(catalogueOf(null, many, from).bestSellers).toHaveLength(CROSS_SELL_CANDIDATES);
  });
});
