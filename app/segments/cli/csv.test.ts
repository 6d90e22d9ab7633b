import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatMinor, formatRow, formatShare } from "./csv";

describe("csv", () => {
  it("formats minor units with the currency's decimals", () => {
    expect(formatMinor(1250, 2)).toBe("12.50");
    expect(formatMinor(5, 2)).toBe("0.05");
    expect(formatMinor(0, 2)).toBe("0.00");
    expect(formatMinor(1500, 0)).toBe("1500");
    expect(formatMinor(1, 3)).toBe("0.001");
    expect(formatMinor(-1250, 2)).toBe("-12.50");
  });
  it("rounds the discount share half up to 4 decimals", () => {
    expect(formatShare(1, 2)).toBe("0.5000");
    expect(formatShare(1, 3)).toBe("0.3333");
    expect(formatShare(2, 3)).toBe("0.6667");
    expect(formatShare(1, 8)).toBe("0.1250");
    expect(formatShare(1, 20_000)).toBe("0.0001"); // 0.00005 → up
    expect(formatShare(3, 3)).toBe("1.0000");
  });
  it("matches exact rational rounding", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.nat(100_000), (f, d0) => {
        const d = d0 % (f + 1);
        const q = (BigInt(d) * 20_000n + BigInt(f)) / (2n * BigInt(f));
        expect(formatShare(d, f)).toBe(`${q / 10_000n}.${String(q % 10_000n).padStart(4, "0")}`);
      }),
    );
  });
  it("leaves a prospect's cells empty", () => {
    expect(
      formatRow(
        {
          customerId: "gid://shopify/Customer/1",
          recencyDays: null,
          frequency: 0,
          monetaryMinor: 0,
          r: null,
          f: null,
          m: null,
          discountedOrders: 0,
          segment: "prospect",
        },
        2,
      ),
    ).toBe("gid://shopify/Customer/1,,0,0.00,,,,,prospect");
  });
  it("writes a customer id from the input as text a spreadsheet does not run", () => {
    expect(
      formatRow(
        {
          customerId: "=1+2",
          recencyDays: 3,
          frequency: 1,
          monetaryMinor: -1250,
          r: 1,
          f: 1,
          m: 1,
          discountedOrders: 0,
          segment: "vip",
        },
        2,
      ),
    ).toBe("'=1+2,3,1,-12.50,1,1,1,0.0000,vip");
  });
});
