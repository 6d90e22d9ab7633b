import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAmount, parseHeader, parseRecipient } from "./audience";
import { AudienceReader } from "./audience-reader";

describe("parseAmount", () => {
  it("reads exact decimals into 1/10,000 units", () => {
    expect(parseAmount("12.50")).toEqual({ units: 125000, decimals: 2 });
    expect(parseAmount("0.0001")).toEqual({ units: 1, decimals: 4 });
    expect(parseAmount("-3.2")).toEqual({ units: -32000, decimals: 1 });
    expect(parseAmount("0")).toEqual({ units: 0, decimals: 0 });
    expect(parseAmount("007")).toEqual({ units: 70000, decimals: 0 });
    // 0.1 + 0.2 is not 0.3 in floats; here the units add up exactly
    const tenth = parseAmount("0.1");
    const fifth = parseAmount("0.2");
    expect(typeof tenth !== "string" && typeof fifth !== "string" && tenth.units + fifth.units).toBe(3000);
  });

  it("refuses what is not a plain decimal, more than 4 decimals, and amounts it cannot count exactly", () => {
    for (const text of ["", "12,50", ".5", "5.", "1e3", "+1", " 1", "1 ", "NaN", "--1", "1.2.3"]) {
      expect(parseAmount(text)).toBe(`${JSON.stringify(text)} is not a decimal amount like 12.50`);
    }
    expect(parseAmount("1.23456")).toBe('"1.23456" has more than 4 decimals');
    expect(parseAmount("1.00000")).toBe('"1.00000" has more than 4 decimals');
    expect(parseAmount("900719925474.0991")).toEqual({ units: Number.MAX_SAFE_INTEGER, decimals: 4 });
    expect(parseAmount("900719925474.0992")).toBe('"900719925474.0992" is too large');
  });

  it("reads any amount of up to 4 decimals as its exact value", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(10 ** 11), max: 10 ** 11 }),
        fc.integer({ min: 0, max: 4 }),
        (k, decimals) => {
          // k / 10^decimals written out by hand, then read back
          const digits = String(Math.abs(k)).padStart(decimals + 1, "0");
          const text = `${k < 0 ? "-" : ""}${digits.slice(0, digits.length - decimals)}${decimals ? `.${digits.slice(digits.length - decimals)}` : ""}`;
          expect(parseAmount(text)).toEqual({ units: k * 10 ** (4 - decimals), decimals });
        },
      ),
    );
  });
});

describe("parseHeader", () => {
  it("finds the columns in any order, after a byte order mark", () => {
    expect(
      parseHeader(["\uFEFFrevenue", "segment", "converted", "holdout", "customer_id"], "segment"),
    ).toEqual({
      customerId: 4,
      holdout: 3,
      converted: 2,
      revenue: 0,
      groupBy: 1,
      width: 5,
    });
  });

  it("says which column is missing, doubled or unknown", () => {
    expect(parseHeader(["customer_id", "holdout"], null)).toBe(
      'missing columns "converted", "revenue" (the header needs customer_id, holdout, converted, revenue)',
    );
    expect(parseHeader(["customer_id", "holdout", "converted", "revenue", "holdout"], null)).toBe(
      'column "holdout" appears twice in the header',
    );
    expect(parseHeader(["customer_id", "holdout", "converted", "revenue"], "Region")).toBe(
      '--group-by column "Region" is not in the header (its columns: customer_id, holdout, converted, revenue)',
    );
  });
});

describe("parseRecipient", () => {
  const columns = { customerId: 0, holdout: 1, converted: 2, revenue: 3, groupBy: 4, width: 5 };

  it("reads a row", () => {
    expect(parseRecipient(["c1", "1", "0", "9.99", "EU"], columns)).toEqual({
      customerId: "c1",
      holdout: true,
      converted: false,
      revenue: 99900,
      decimals: 2,
      group: "EU",
    });
  });

  it("names the column of a bad cell", () => {
    expect(parseRecipient(["", "1", "0", "0", "EU"], columns)).toBe("column customer_id: empty");
    expect(parseRecipient(["c1", "true", "0", "0", "EU"], columns)).toBe(
      'column holdout: "true" is not 0 or 1',
    );
    expect(parseRecipient(["c1", "0", " 1", "0", "EU"], columns)).toBe(
      'column converted: " 1" is not 0 or 1',
    );
    expect(parseRecipient(["c1", "0", "1", "$5", "EU"], columns)).toBe(
      'column revenue: "$5" is not a decimal amount like 12.50',
    );
    expect(parseRecipient(["c1", "0"], columns)).toBe("2 fields where the header has 5");
  });
});

describe("AudienceReader", () => {
  it("keeps counts and the buyers' revenues per group and arm", () => {
    const reader = new AudienceReader("g");
    const lines = [
      "customer_id,holdout,converted,revenue,g",
      "a,0,1,1.5,y",
      "b,1,0,0,x",
      "c,0,0,2,y",
      "d,0,1,0.25,x",
      "",
    ];
    lines.forEach((line, i) => expect(reader.push(line, i + 1)).toBeNull());
    expect(reader.end()).toEqual({
      groups: [
        {
          group: "x",
          treated: { n: 1, conversions: 1, nonzeroRevenues: [2500] },
          control: { n: 1, conversions: 0, nonzeroRevenues: [] },
        },
        {
          group: "y",
          treated: { n: 2, conversions: 1, nonzeroRevenues: [15000, 20000] },
          control: { n: 0, conversions: 0, nonzeroRevenues: [] },
        },
      ],
      recipients: 4,
      decimals: 2,
    });
  });

  it('has the one group "all" even without recipients, none per column', () => {
    const all = new AudienceReader(null);
    all.push("customer_id,holdout,converted,revenue", 1);
    const empty = { n: 0, conversions: 0, nonzeroRevenues: [] };
    expect(all.end()).toEqual({
      groups: [{ group: "all", treated: empty, control: empty }],
      recipients: 0,
      decimals: 0,
    });
    const grouped = new AudienceReader("customer_id");
    grouped.push("customer_id,holdout,converted,revenue", 1);
    expect(grouped.end()).toEqual({ groups: [], recipients: 0, decimals: 0 });
  });
});
