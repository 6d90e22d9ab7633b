import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cartStock, isOfferable, itemStock, type ItemStock, type ProductStock } from "./item-stock";

const NOW = new Date("2026-11-28T12:00:00Z");
const product = (extra: Partial<ProductStock> = {}): ProductStock => ({
  id: 1n,
  status: "ACTIVE",
  deletedAt: null,
  publishedAt: new Date("2026-01-01T00:00:00Z"),
  inStock: true,
  tracksInventory: true,
  availableVariantIds: [11n, 13n],
  variantsKnown: true,
  ...extra,
});
const item = (variantId: bigint | null, productId: bigint | null = 1n) => ({ productId, variantId });

describe("a cart item's stock", () => {
  it("the variant in the cart decides, not the product: size M sold out while S is in stock", () => {
    expect(itemStock(item(11n), product(), NOW)).toBe("in_stock");
    expect(itemStock(item(12n), product(), NOW)).toBe("sold_out");
    // a variant removed from the product since is not among the available ones
    expect(itemStock(item(99n), product(), NOW)).toBe("sold_out");
  });

  it("a product not on sale in the Online Store is not offered, whatever its stock", () => {
    expect(itemStock(item(11n), product({ status: "DRAFT" }), NOW)).toBe("not_for_sale");
    expect(itemStock(item(11n), product({ status: "DELETED", deletedAt: NOW }), NOW)).toBe("not_for_sale");
    expect(itemStock(item(11n), product({ publishedAt: null }), NOW)).toBe("not_for_sale");
    expect(itemStock(item(11n), product({ publishedAt: new Date("2026-11-29T00:00:00Z") }), NOW)).toBe(
      "not_for_sale",
    );
  });

  it("without per-variant stock (a row from before it was kept), the product's stock speaks", () => {
    const old = product({ variantsKnown: false, availableVariantIds: [] });
    expect(itemStock(item(12n), old, NOW)).toBe("in_stock");
    expect(itemStock(item(12n), { ...old, inStock: false }, NOW)).toBe("sold_out");
    expect(itemStock(item(12n), { ...old, inStock: false, tracksInventory: false }, NOW)).toBe("in_stock");
    // a line without a variant id, likewise
    expect(itemStock(item(null), product({ inStock: false }), NOW)).toBe("sold_out");
  });

  it("what the app does not know is not offered: a custom item, a product not stored", () => {
    expect(itemStock(item(11n, null), product(), NOW)).toBe("unknown");
    expect(itemStock(item(11n, 2n), undefined, NOW)).toBe("unknown");
    expect(itemStock(item(11n, 2n), product(), NOW)).toBe("unknown");
    const all: ItemStock[] = ["in_stock", "sold_out", "not_for_sale", "unknown"];
    expect(all.map(isOfferable)).toEqual([true, false, false, false]);
  });

  it("cartStock looks each line's product up by id", () => {
    const products = new Map([[1n, product()]]);
    expect(
      cartStock([item(11n), item(12n), item(5n, 2n), item(null, null)], products, NOW).map((i) => i.stock),
    ).toEqual(["in_stock", "sold_out", "unknown", "unknown"]);
  });

  it("property: an item is offerable only if its product is active, published, and lists its variant (when known)", () => {
    fc.assert(
      fc.property(
        fc.record({
          status: fc.constantFrom("ACTIVE", "DRAFT", "ARCHIVED", "DELETED"),
          published: fc.boolean(),
          inStock: fc.boolean(),
          tracksInventory: fc.boolean(),
          variantsKnown: fc.boolean(),
          available: fc.uniqueArray(fc.bigInt({ min: 1n, max: 20n }), { maxLength: 5 }),
        }),
        fc.bigInt({ min: 1n, max: 20n }),
        (p, variantId) => {
          const stored = product({
            status: p.status,
            deletedAt: p.status === "DELETED" ? NOW : null,
            publishedAt: p.published ? new Date("2026-01-01T00:00:00Z") : null,
            inStock: p.inStock,
            tracksInventory: p.tracksInventory,
            variantsKnown: p.variantsKnown,
            availableVariantIds: p.available,
          });
          const offerable = isOfferable(itemStock(item(variantId), stored, NOW));
          const onSale = p.status === "ACTIVE" && p.published;
          const buyable = p.variantsKnown ? p.available.includes(variantId) : p.inStock || !p.tracksInventory;
          expect(offerable).toBe(onSale && buyable);
        },
      ),
    );
  });
});
