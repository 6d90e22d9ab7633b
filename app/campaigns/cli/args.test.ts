import { describe, expect, it } from "vitest";
import { parsePlanArgs } from "./args";

const NOW = new Date("2026-10-15T12:00:00Z");
const required = [
  "--customers",
  "c.jsonl",
  "--orders",
  "o.jsonl",
  "--shop",
  "shop.json",
  "--playbook",
  "cyber-week",
];

const message = (args: string[]): string => {
  const parsed = parsePlanArgs(args, NOW);
  return parsed.kind === "usage-error" ? parsed.message : parsed.kind;
};

describe("parsePlanArgs", () => {
  it("defaults: now, the playbook's next season (resolved with the shop), stdout, no settings, not strict", () => {
    expect(parsePlanArgs(required, NOW)).toEqual({
      kind: "run",
      options: {
        customers: "c.jsonl",
        orders: "o.jsonl",
        shop: "shop.json",
        playbook: "cyber-week",
        year: null,
        asOf: NOW,
        out: null,
        settings: null,
        strict: false,
      },
    });
  });

  it("reads every option; without --year the plan picks the season", () => {
    const all = [
      ...required.slice(0, 6),
      "--playbook",
      "christmas",
      "--as-of",
      "2027-01-02",
      "--out",
      "p.csv",
      "--settings",
      "a.json",
      "--strict",
    ];
    expect(parsePlanArgs(all, NOW)).toEqual({
      kind: "run",
      options: {
        customers: "c.jsonl",
        orders: "o.jsonl",
        shop: "shop.json",
        playbook: "christmas",
        year: null,
        asOf: new Date("2027-01-02T00:00:00Z"),
        out: "p.csv",
        settings: "a.json",
        strict: true,
      },
    });
    const withYear = parsePlanArgs(
      [...required, "--year", "2030", "--as-of", "2026-11-01T00:00:00-05:00"],
      NOW,
    );
    expect(withYear.kind === "run" && [withYear.options.year, withYear.options.asOf.toISOString()]).toEqual([
      2030,
      "2026-11-01T05:00:00.000Z",
    ]);
  });

  it("refuses what it cannot read, naming the option", () => {
    expect(message(["--customers", "c.jsonl", "--orders", "o.jsonl", "--playbook", "christmas"])).toBe(
      "--shop FILE is required",
    );
    expect(message(required.slice(0, 6))).toMatch(/^--playbook KEY is required \(cyber-week or christmas\)/);
    expect(message([...required.slice(0, 6), "--playbook", "easter"])).toBe(
      'Playbook must be one of "cyber-week", "christmas"',
    );
    expect(message([...required, "--year", "26"])).toBe("--year must be a year like 2026");
    expect(message([...required, "--year", "1800"])).toBe("--year: Year must be 1900 or later");
    expect(message([...required, "--as-of", "2026-11-01T00:00:00"])).toMatch(/with a zone/);
    expect(message([...required, "--currency", "USD"])).toMatch(/Unknown option '--currency'/);
    expect(message([...required, "extra"])).toMatch(/Unexpected argument/);
    expect(message([...required, "--help"])).toBe("help");
    expect(message(["-h"])).toBe("help");
  });
});
