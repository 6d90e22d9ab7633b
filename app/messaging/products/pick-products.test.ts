import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pickFor, pickProducts, prepareCatalogue, type CatalogueEntry } from "./pick-products";

const entry = (id: string, extra: Partial<CatalogueEntry> = {}): CatalogueEntry => ({
  id,
  productType: "",
  tags: [],
  salesCount: 0,
  sellable: true,
  ...extra,
});
const ids = (list: readonly CatalogueEntry[]) => list.map((p) => p.id);

describe("pickProducts", () => {
  const catalogue = [
    entry("1", { productType: "Apparel", tags: ["winter"], salesCount: 50 }),
    entry("2", { productType: "Apparel", tags: ["summer"], salesCount: 10 }),
    entry("3", { productType: "Home", tags: ["winter", "gift"], salesCount: 90 }),
    entry("4", { productType: "Home", salesCount: 200, sellable: false }), // sold out
    entry("5", { productType: "Gifts", salesCount: 120 }),
    entry("6", { productType: "Apparel", tags: ["winter"], salesCount: 5 }),
  ];

  it("without purchases: the best sellers that can be sold", () => {
    expect(ids(pickProducts(catalogue, [], 3))).toEqual(["5", "3", "1"]);
  });

  it("after a purchase: what goes with it first (type counts 2, a shared tag 1), then best sellers", () => {
    // bought 1 (Apparel, winter): 6 scores 3, 2 scores 2, 3 scores 1, 5 scores 0
    expect(ids(pickProducts(catalogue, ["1"], 5))).toEqual(["6", "2", "3", "5"]);
  });

  it("never offers what was bought or cannot be sold, even as the only candidates", () => {
    expect(pickProducts(catalogue, ["1", "2", "3", "5", "6"], 3)).toEqual([]);
    expect(ids(pickProducts(catalogue, ["4"], 2))).toEqual(["3", "5"]); // a sold-out purchase still says "Home"
  });

  it("is empty for an empty catalogue or a zero limit", () => {
    expect(pickProducts([], ["1"], 3)).toEqual([]);
    expect(pickProducts(catalogue, [], 0)).toEqual([]);
  });

  it("compares types and tags without regard to case or spaces, and ids numerically", () => {
    const list = [entry("10", { productType: " apparel " }), entry("9"), entry("100")];
    expect(ids(pickProducts(list, ["1"], 3))).toEqual(["9", "10", "100"]);
    expect(
      ids(pickProducts([...list, entry("1", { productType: "APPAREL", sellable: false })], ["1"], 3)),
    ).toEqual(["10", "9", "100"]);
  });

  it("treats an id listed twice as not sellable when either entry says so", () => {
    expect(pickProducts([entry("1"), entry("1", { sellable: false })], [], 3)).toEqual([]);
  });
});

const arbEntry = fc.record({
  id: fc.integer({ min: 1, max: 40 }).map(String),
  productType: fc.constantFrom("", "Apparel", "Home", "Gifts"),
  tags: fc.uniqueArray(fc.constantFrom("winter", "gift", "holiday", "sale"), { maxLength: 3 }),
  salesCount: fc.nat({ max: 20 }),
  sellable: fc.boolean(),
});
const arbCase = fc.record({
  catalogue: fc.array(arbEntry, { maxLength: 30 }),
  bought: fc.uniqueArray(fc.integer({ min: 1, max: 40 }).map(String), { maxLength: 8 }),
  limit: fc.integer({ min: 0, max: 6 }),
});

describe("pickProducts (properties)", () => {
  it("offers only sellable products never bought, at most `limit`, each once", () => {
    fc.assert(
      fc.property(arbCase, ({ catalogue, bought, limit }) => {
        const picked = pickProducts(catalogue, bought, limit);
        expect(picked.length).toBeLessThanOrEqual(limit);
        expect(new Set(ids(picked)).size).toBe(picked.length);
        for (const p of picked) {
          expect(bought).not.toContain(p.id);
          expect(catalogue.filter((c) => c.id === p.id).every((c) => c.sellable)).toBe(true);
        }
      }),
    );
  });

  it("fills up to `limit` whenever enough products qualify", () => {
    fc.assert(
      fc.property(arbCase, ({ catalogue, bought, limit }) => {
        const qualifying = new Set(
          catalogue
            .filter(
              (c) =>
                !bought.includes(c.id) && catalogue.filter((d) => d.id === c.id).every((d) => d.sellable),
            )
            .map((c) => c.id),
        );
        expect(pickProducts(catalogue, bought, limit).length).toBe(Math.min(limit, qualifying.size));
      }),
    );
  });

  it("is deterministic: the catalogue's order and repeated calls change nothing", () => {
    fc.assert(
      fc.property(arbCase, fc.integer(), ({ catalogue, bought, limit }, seed) => {
        // Entries sharing an id are the same product in this property: give duplicates one shape.
        const unique = [...new Map(catalogue.map((c) => [c.id, c])).values()];
        const shuffled = [...unique].sort(
          (a, b) => ((Number(a.id) * 7919 + seed) % 97) - ((Number(b.id) * 7919 + seed) % 97),
        );
        const picked = pickProducts(unique, bought, limit);
        expect(pickProducts(shuffled, [...bought].reverse(), limit)).toEqual(picked);
        const prepared = prepareCatalogue(unique);
        expect(pickFor(prepared, bought, limit)).toEqual(pickFor(prepared, bought, limit));
      }),
    );
  });

  it("ranks by how well a product goes with the purchases: none left out scores higher than one picked", () => {
    fc.assert(
      fc.property(arbCase, ({ catalogue, bought, limit }) => {
        const unique = [...new Map(catalogue.map((c) => [c.id, c])).values()];
        const purchases = unique.filter((c) => bought.includes(c.id));
        const types = new Set<string>(purchases.map((c) => c.productType).filter((t) => t !== ""));
        const tags = new Set<string>(purchases.flatMap((c) => c.tags));
        const score = (c: CatalogueEntry) =>
          (types.has(c.productType) ? 2 : 0) + c.tags.filter((t) => tags.has(t)).length;
        const picked = pickProducts(unique, bought, limit);
        const left = unique.filter((c) => c.sellable && !bought.includes(c.id) && !picked.includes(c));
        if (picked.length > 0 && left.length > 0)
          expect(Math.min(...picked.map(score))).toBeGreaterThanOrEqual(Math.max(...left.map(score)));
      }),
    );
  });
});
