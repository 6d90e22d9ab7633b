import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readNumberText } from "./number-text";

describe("readNumberText", () => {
  it("reads plain digits, and a fraction only where decimals are allowed", () => {
    expect(readNumberText("0", "whole")).toBe(0);
    expect(readNumberText("180", "whole")).toBe(180);
    expect(readNumberText("0.5", "decimal")).toBe(0.5);
    expect(readNumberText("12.5", "decimal")).toBe(12.5);
    expect(readNumberText("4", "decimal")).toBe(4);
    expect(readNumberText("4.0", "whole")).toBeNull();
  });

  it.each(["0x1", "1e1", " 1", "1 ", "+1", "-1", "01", ".5", "1.", "Infinity", "NaN", "", "1_000", "١"])(
    "refuses %j",
    (text) => {
      expect(readNumberText(text, "whole")).toBeNull();
      expect(readNumberText(text, "decimal")).toBeNull();
    },
  );

  it("reads back every non-negative integer as written", () => {
    fc.assert(
      fc.property(fc.nat(), (n) => {
        expect(readNumberText(String(n), "whole")).toBe(n);
        expect(readNumberText(String(n), "decimal")).toBe(n);
      }),
    );
  });

  it("refuses any text whose characters are not all ASCII digits and at most one dot", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const plain = /^[0-9]+(\.[0-9]+)?$/.test(text) && !/^0[0-9]/.test(text);
        expect(readNumberText(text, "decimal") !== null).toBe(plain);
      }),
    );
  });
});
