import { describe, expect, it } from "vitest";
import { formatAmount, formatRate } from "./output";

describe("formatAmount", () => {
  it("writes 1/10,000 units with the file's decimals", () => {
    expect(formatAmount(625000, 2)).toBe("62.50");
    expect(formatAmount(-32000, 1)).toBe("-3.2");
    expect(formatAmount(0, 2)).toBe("0.00");
    expect(formatAmount(70000, 0)).toBe("7");
    expect(formatAmount(1, 4)).toBe("0.0001");
  });

  it("rounds an estimate half away from zero, and 0 without a sign", () => {
    expect(formatAmount(108333.33, 2)).toBe("10.83");
    expect(formatAmount(125, 2)).toBe("0.01");
    expect(formatAmount(-125, 2)).toBe("-0.01");
    expect(formatAmount(-49.9, 2)).toBe("0.00");
    expect(formatAmount(5000, 0)).toBe("1");
  });
});

describe("formatRate", () => {
  it("writes a fraction to 6 decimals without trailing zeros", () => {
    expect(formatRate(0.25)).toBe("0.25");
    expect(formatRate(-0.3552501109137244)).toBe("-0.35525");
    expect(formatRate(1 / 6)).toBe("0.166667");
    expect(formatRate(0)).toBe("0");
    expect(formatRate(-0)).toBe("0");
    expect(formatRate(-1e-9)).toBe("0");
    expect(formatRate(1)).toBe("1");
    expect(formatRate(0.0000005)).toBe("0.000001");
  });
});
