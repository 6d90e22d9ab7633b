import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { currencyExponent, formatMinorUnits, MoneyError, toMinorUnits } from "./money";

describe("money in minor units", () => {
  it("parses Shopify's decimal strings exactly", () => {
    expect(toMinorUnits("12.5", "USD")).toBe(1250n);
    expect(toMinorUnits("12.50", "USD")).toBe(1250n);
    expect(toMinorUnits("0.0", "USD")).toBe(0n);
    expect(toMinorUnits("1200.0", "JPY")).toBe(1200n);
    expect(toMinorUnits("1.234", "BHD")).toBe(1234n);
    expect(toMinorUnits("-3.10", "EUR")).toBe(-310n);
    expect(toMinorUnits("0.1", "USD") + toMinorUnits("0.2", "USD")).toBe(toMinorUnits("0.3", "USD"));
  });

  it("refuses what it cannot represent", () => {
    expect(() => toMinorUnits("12.345", "USD")).toThrow(MoneyError);
    expect(() => toMinorUnits("1.5", "JPY")).toThrow(/more decimals than JPY/);
    expect(() => toMinorUnits("1e3", "USD")).toThrow(/not a decimal/);
    expect(() => toMinorUnits("", "USD")).toThrow(MoneyError);
    expect(() => currencyExponent("usd")).toThrow(/unknown currency/);
  });

  it("formats back to the same value", () => {
    expect(formatMinorUnits(1250n, "USD")).toBe("12.50");
    expect(formatMinorUnits(5n, "USD")).toBe("0.05");
    expect(formatMinorUnits(1200n, "JPY")).toBe("1200");
    expect(formatMinorUnits(-310n, "EUR")).toBe("-3.10");
  });

  it("round-trips any amount (property)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.constantFrom("USD", "JPY", "BHD", "EUR"),
        (minor, currency) => {
          expect(toMinorUnits(formatMinorUnits(minor, currency), currency)).toBe(minor);
        },
      ),
    );
  });
});
