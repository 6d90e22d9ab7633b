import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { twilioSignature, verifyTwilioSignature } from "./twilio-signature";

// The worked example of Twilio's "Webhooks security" guide.
const URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
const PARAMS = [
  ["To", "+18005551212"],
  ["CallSid", "CA1234567890ABCDE"],
  ["Digits", "1234"],
  ["From", "+12349013030"],
  ["Caller", "+12349013030"],
] as const;
const DOCUMENTED = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";

describe("twilioSignature", () => {
  it("matches Twilio's documented example whatever the parameters' order", () => {
    expect(twilioSignature("12345", URL, PARAMS)).toBe(DOCUMENTED);
    expect(twilioSignature("12345", URL, [...PARAMS].reverse())).toBe(DOCUMENTED);
  });

  it("verifies only the same token, URL and parameters", () => {
    const verify = (overrides: Partial<Parameters<typeof verifyTwilioSignature>[0]>) =>
      verifyTwilioSignature({
        authToken: "12345",
        urls: [URL],
        params: PARAMS,
        signature: DOCUMENTED,
        ...overrides,
      });
    expect(verify({})).toBe(true);
    expect(verify({ urls: ["https://elsewhere.example/x", URL] })).toBe(true);
    expect(verify({ authToken: "54321" })).toBe(false);
    expect(verify({ urls: ["https://mycompany.com/myapp.php?foo=1&bar=3"] })).toBe(false);
    expect(verify({ params: [...PARAMS, ["Digits", "9"]] })).toBe(false);
    expect(verify({ signature: DOCUMENTED.slice(0, -1) })).toBe(false);
    expect(verify({ signature: null })).toBe(false);
    expect(verify({ signature: "" })).toBe(false);
    expect(verify({ authToken: "" })).toBe(false);
  });

  it("changes with any change to a parameter's value", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (value, other) => {
        fc.pre(value !== other);
        const signed = twilioSignature("token", URL, [["MessageStatus", value]]);
        return !verifyTwilioSignature({
          authToken: "token",
          urls: [URL],
          params: [["MessageStatus", other]],
          signature: signed,
        });
      }),
    );
  });
});
