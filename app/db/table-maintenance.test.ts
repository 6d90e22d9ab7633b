import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GROWTH, MIN_PAGES, quoteIdentifier, tablesToMaintain, type TableSize } from "./table-maintenance";

describe("tablesToMaintain", () => {
  it("takes tables never analyzed or grown by a fifth, never the small ones", () => {
    const tables: TableSize[] = [
      { table: "FlowEnrollment", pages: 300, statsPages: 0, statsRows: -1 },
      { table: "OutboxMessage", pages: 121, statsPages: 100, statsRows: 9_000 },
      { table: "Customer", pages: 120, statsPages: 100, statsRows: 9_000 },
      { table: "Flow", pages: 1, statsPages: 0, statsRows: -1 },
      { table: "Order", pages: 7, statsPages: 1, statsRows: 10 },
      { table: "Checkout", pages: 8, statsPages: 0, statsRows: -1 },
    ];
    expect(tablesToMaintain(tables)).toEqual(["Checkout", "FlowEnrollment", "OutboxMessage"]);
  });

  it("matches its rule on any sizes", () => {
    const size = fc.record({
      table: fc.string({ minLength: 1, maxLength: 5 }),
      pages: fc.nat({ max: 10_000 }),
      statsPages: fc.nat({ max: 10_000 }),
      statsRows: fc.integer({ min: -1, max: 1_000_000 }),
    });
    fc.assert(
      fc.property(fc.array(size, { maxLength: 20 }), (tables) => {
        const chosen = tablesToMaintain(tables);
        // the oracle, written out per table: big enough, and unknown or grown past the share
        const expected = tables
          .filter((t) => t.pages >= MIN_PAGES)
          .filter(
            (t) => t.statsRows === -1 || t.statsRows < 0 || t.pages - t.statsPages > GROWTH * t.statsPages,
          )
          .map((t) => t.table);
        expect(chosen).toEqual([...expected].sort());
      }),
    );
  });

  it("quotes a name as an identifier", () => {
    expect(quoteIdentifier("OutboxMessage")).toBe('"OutboxMessage"');
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
  });
});
