import { describe, expect, it } from "vitest";
import { parseFlowsArgs } from "./args";
import { parseFlowSettingsJson, parseFlowsShopJson } from "./inputs";

const required = [
  "--customers",
  "c.jsonl",
  "--orders",
  "o.jsonl",
  "--checkouts",
  "k.jsonl",
  "--shop",
  "shop.json",
];
const window = ["--from", "2026-11-24T00:00:00Z", "--until", "2026-12-03"];

describe("parseFlowsArgs", () => {
  it("reads the files, the window and the options", () => {
    expect(
      parseFlowsArgs([...required, ...window, "--peak", "--products", "p.jsonl", "--out", "sends.csv"]),
    ).toEqual({
      kind: "run",
      options: {
        customers: "c.jsonl",
        orders: "o.jsonl",
        checkouts: "k.jsonl",
        shop: "shop.json",
        products: "p.jsonl",
        settings: null,
        audience: null,
        peak: true,
        from: new Date("2026-11-24T00:00:00Z"),
        until: new Date("2026-12-03T00:00:00Z"),
        out: "sends.csv",
        strict: false,
      },
    });
  });

  it("says what is missing or wrong", () => {
    expect(parseFlowsArgs(["--help"])).toEqual({ kind: "help" });
    expect(parseFlowsArgs(window)).toEqual({
      kind: "usage-error",
      message:
        "--customers FILE is required; --orders FILE is required; --checkouts FILE is required; --shop FILE is required",
    });
    expect(
      parseFlowsArgs([...required, "--from", "2026-11-24T00:00", "--until", "2026-12-03"]),
    ).toMatchObject({
      kind: "usage-error",
      message: expect.stringContaining("--from must be an ISO 8601 time with a zone"),
    });
    expect(parseFlowsArgs([...required, "--from", "2026-12-03", "--until", "2026-12-03"])).toEqual({
      kind: "usage-error",
      message: "--from must be before --until",
    });
    expect(parseFlowsArgs([...required, ...window, "--as-of", "x"])).toMatchObject({ kind: "usage-error" });
  });
});

describe("the flows command's JSON files", () => {
  it("shop.json: plan's, with an optional myshopifyDomain", () => {
    const shop = { ianaTimezone: "America/New_York", currencyCode: "USD", countryCode: "US" };
    expect(parseFlowsShopJson(JSON.stringify(shop))).toEqual({ ok: true, value: shop });
    expect(parseFlowsShopJson(JSON.stringify({ ...shop, myshopifyDomain: "a.myshopify.com" }))).toMatchObject(
      { ok: true },
    );
    expect(
      parseFlowsShopJson(
        JSON.stringify({ ...shop, myshopifyDomain: "a.example", ianaTimezone: "Mars/Base" }),
      ),
    ).toEqual({
      ok: false,
      errors: [
        'ianaTimezone: not a known IANA time zone (like "America/New_York")',
        'myshopifyDomain: must be a shop domain like "example.myshopify.com"',
      ],
    });
    expect(parseFlowsShopJson("[1]")).toEqual({ ok: false, errors: ["(file): not a JSON object"] });
  });

  it("settings: the app's FlowSettings, every problem by its path", () => {
    const parsed = parseFlowSettingsJson(JSON.stringify({ welcome: { enabled: false } }));
    expect(parsed.ok && parsed.value.welcome.enabled).toBe(false);
    expect(parsed.ok && parsed.value.abandoned_checkout.enabled).toBe(true);
    expect(
      parseFlowSettingsJson(JSON.stringify({ abandoned_checkout: { delays: { first_message_wait: 5 } } })),
    ).toEqual({
      ok: false,
      errors: [
        "abandoned_checkout.delays.first_message_wait: First message, after the last checkout activity must be from 15 minutes to 1 day (got 5 minutes)",
      ],
    });
    expect(parseFlowSettingsJson("{")).toEqual({ ok: false, errors: ["(file): invalid JSON"] });
  });
});
