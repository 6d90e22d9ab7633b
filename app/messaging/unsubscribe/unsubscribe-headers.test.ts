import { describe, expect, it } from "vitest";
import { isOneClickUnsubscribe, LIST_UNSUBSCRIBE_POST, unsubscribeHeaders } from "./unsubscribe-headers";

describe("unsubscribeHeaders", () => {
  it("gives the RFC 8058 pair for an https URL", () => {
    expect(unsubscribeHeaders("https://app.example.com/unsubscribe/u1.abc.def")).toEqual({
      "List-Unsubscribe": "<https://app.example.com/unsubscribe/u1.abc.def>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
  });
  it("adds a mailto after the https URL", () => {
    expect(unsubscribeHeaders("https://app.example.com/u?t=1", { mailto: "mailto:unsubscribe@example.com?subject=unsubscribe" })).toEqual({
      "List-Unsubscribe": "<https://app.example.com/u?t=1>, <mailto:unsubscribe@example.com?subject=unsubscribe>",
      "List-Unsubscribe-Post": LIST_UNSUBSCRIBE_POST,
    });
  });
  it("escapes commas, which separate the list", () => {
    expect(unsubscribeHeaders("https://app.example.com/u?a=1,2")["List-Unsubscribe"]).toBe("<https://app.example.com/u?a=1%2C2>");
  });
  it("refuses what one-click cannot use or what would break the header", () => {
    expect(() => unsubscribeHeaders("http://app.example.com/u")).toThrow(/https/);
    expect(() => unsubscribeHeaders("mailto:x@example.com")).toThrow(/https/);
    expect(() => unsubscribeHeaders("not a url")).toThrow(TypeError);
    expect(() => unsubscribeHeaders("https://app.example.com/u\r\nBcc: victim@example.com")).toThrow(/control characters/);
    expect(() => unsubscribeHeaders("https://app.example.com/u>, <https://evil.example")).toThrow(/angle brackets/);
    expect(() => unsubscribeHeaders("https://user:pw@app.example.com/u")).toThrow(/credentials/);
    expect(() => unsubscribeHeaders("https://app.example.com/u", { mailto: "https://x.example" })).toThrow(/mailto/);
  });
  it("accepts plain http only on a loopback host (local demo)", () => {
    expect(unsubscribeHeaders("http://localhost:3000/u/t")["List-Unsubscribe"]).toBe("<http://localhost:3000/u/t>");
    expect(unsubscribeHeaders("http://127.0.0.1:3000/u/t")["List-Unsubscribe"]).toBe("<http://127.0.0.1:3000/u/t>");
  });
});

describe("isOneClickUnsubscribe", () => {
  it("recognises the RFC 8058 POST body", () => {
    expect(isOneClickUnsubscribe(new URLSearchParams(LIST_UNSUBSCRIBE_POST))).toBe(true);
    const form = new FormData();
    form.set("List-Unsubscribe", "One-Click");
    expect(isOneClickUnsubscribe(form)).toBe(true);
    expect(isOneClickUnsubscribe(new URLSearchParams("List-Unsubscribe=Yes"))).toBe(false);
    expect(isOneClickUnsubscribe(new URLSearchParams(""))).toBe(false);
  });
});
