import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { landingUtm, withUtm } from "./utm";

const utm = { medium: "email", campaign: "cyber-week-2026:vip", content: "launch" } as const;

describe("withUtm", () => {
  it("adds the four parameters, keeping the path, other parameters and the fragment", () => {
    expect(withUtm("https://shop.example/products/mug?variant=7#reviews", utm)).toBe(
      "https://shop.example/products/mug?variant=7&utm_source=holiday-segments&utm_medium=email&utm_campaign=cyber-week-2026%3Avip&utm_content=launch#reviews",
    );
  });

  it("replaces the merchant's own UTM parameters", () => {
    expect(
      withUtm("https://shop.example/?utm_campaign=mine&utm_source=news", { ...utm, medium: "sms" }),
    ).toBe(
      "https://shop.example/?utm_campaign=cyber-week-2026%3Avip&utm_source=holiday-segments&utm_medium=sms&utm_content=launch",
    );
  });

  it("leaves what is not an http(s) URL alone", () => {
    for (const text of ["mailto:help@shop.example", "/relative", "not a url", "tel:+15555550100"]) {
      expect(withUtm(text, utm)).toBe(text);
    }
  });

  it("reads back as the landing page's UTM", () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true }), fc.string({ minLength: 1 }), (url, campaign) => {
        const landed = landingUtm(withUtm(url, { ...utm, campaign }));
        expect(landed).toEqual({ source: "holiday-segments", medium: "email", campaign, content: "launch" });
      }),
    );
  });
});

describe("landingUtm", () => {
  it("reads a path or a URL, and nothing from a page without a query", () => {
    expect(
      landingUtm("/products/mug?utm_source=holiday-segments&utm_campaign=welcome&utm_content=step-1"),
    ).toEqual({
      source: "holiday-segments",
      medium: null,
      campaign: "welcome",
      content: "step-1",
    });
    expect(landingUtm("/products/mug")).toEqual({
      source: null,
      medium: null,
      campaign: null,
      content: null,
    });
    expect(landingUtm(null)).toEqual({ source: null, medium: null, campaign: null, content: null });
  });
});
