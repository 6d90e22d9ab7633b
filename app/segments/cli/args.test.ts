import { describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS } from "../rules";
import { parseSegmentsArgs } from "./args";

const NOW = new Date("2026-01-01T00:00:00Z");
const files = ["--customers", "c.jsonl", "--orders", "o.jsonl"];

describe("parseSegmentsArgs", () => {
  it("defaults: now, stdout, not strict, currency from the data, default thresholds", () => {
    expect(parseSegmentsArgs(files, NOW)).toEqual({
      kind: "run",
      options: {
        customers: "c.jsonl",
        orders: "o.jsonl",
        asOf: NOW,
        out: null,
        strict: false,
        currency: null,
        thresholds: DEFAULT_THRESHOLDS,
      },
    });
  });
  it("reads every option", () => {
    const parsed = parseSegmentsArgs(
      [
        ...files,
        "--as-of",
        "2026-11-20",
        "--out",
        "x.csv",
        "--strict",
        "--currency",
        "JPY",
        "--lapsed-after-days",
        "90",
        "--vip-min-f",
        "5",
        "--vip-min-m",
        "3",
        "--vip-min-orders",
        "3",
        "--price-sensitive-share",
        "0.25",
        "--recent-within-days",
        "7",
      ],
      NOW,
    );
    expect(parsed).toEqual({
      kind: "run",
      options: {
        customers: "c.jsonl",
        orders: "o.jsonl",
        asOf: new Date("2026-11-20T00:00:00Z"),
        out: "x.csv",
        strict: true,
        currency: "JPY",
        thresholds: {
          lapsedAfterDays: 90,
          vipMinF: 5,
          vipMinM: 3,
          vipMinOrders: 3,
          priceSensitiveShare: 0.25,
          recentWithinDays: 7,
        },
      },
    });
  });
  it("refuses what it cannot read", () => {
    const message = (args: string[]) => {
      const parsed = parseSegmentsArgs(args, NOW);
      return parsed.kind === "usage-error" ? parsed.message : parsed.kind;
    };
    expect(message(["--customers", "c.jsonl"])).toBe("--orders FILE is required");
    expect(message([...files, "--as-of", "2026-11-20T00:00:00"])).toMatch(/with a zone/);
    expect(message([...files, "--lapsed-after-days", "1e3"])).toBe(
      '--lapsed-after-days must be a whole number (digits only), got "1e3"',
    );
    expect(message([...files, "--vip-min-f", "4.0"])).toBe(
      '--vip-min-f must be a whole number (digits only), got "4.0"',
    );
    expect(message([...files, "--vip-min-orders", "0x2"])).toMatch(
      /^--vip-min-orders must be a whole number/,
    );
    expect(message([...files, "--price-sensitive-share", ".5"])).toBe(
      '--price-sensitive-share must be a number (digits, like 0.5), got ".5"',
    );
    expect(message([...files, "--currency", "usd"])).toMatch(/3-letter/);
    expect(message([...files, "--help"])).toBe("help");
    expect(message([...files, "extra"])).toMatch(/Unexpected argument/);
  });
});
