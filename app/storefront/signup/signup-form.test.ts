import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalDisclosure, normalizePhone, parseSignupForm } from "./signup-form";

const SMS_TEXT = "By signing up you agree to get marketing texts from Avery Goods, up to 6 msgs/month. Msg & data rates may apply. Reply STOP to cancel, HELP for help. Consent is not a condition of purchase.";
const EMAIL_TEXT = "Email me news and offers from Avery Goods.";

const form = (fields: Record<string, string>) => new URLSearchParams(fields);

describe("parseSignupForm", () => {
  it("reads an email and SMS signup with both disclosures", () => {
    const parsed = parseSignupForm(
      form({
        email: " Avery@Example.COM ",
        phone: "(212) 555-0100",
        email_consent: "yes",
        sms_consent: "yes",
        email_disclosure: EMAIL_TEXT,
        sms_disclosure: `  ${SMS_TEXT}\n`,
        locale: "fr-CA",
        page_url: "/pages/holiday",
        source: "signup-form",
        return_to: "/pages/holiday",
        website: "",
      }),
      "US",
    );
    expect(parsed).toEqual({
      ok: true,
      request: {
        email: "avery@example.com",
        phone: "+12125550100",
        emailConsent: true,
        smsConsent: true,
        emailDisclosure: EMAIL_TEXT,
        smsDisclosure: SMS_TEXT,
        locale: "fr",
        pageUrl: "/pages/holiday",
        source: "signup-form",
        returnTo: "/pages/holiday",
        honeypot: false,
      },
    });
  });

  it("names each field that needs fixing, in the shopper's language", () => {
    expect(parseSignupForm(form({ email: "not-an-address", email_consent: "yes", email_disclosure: EMAIL_TEXT }), "US")).toEqual({
      ok: false,
      locale: "en",
      fieldErrors: { email: "emailInvalid" },
    });
    expect(parseSignupForm(form({ phone: "12", sms_consent: "yes", sms_disclosure: SMS_TEXT, locale: "fr" }), "FR")).toEqual({
      ok: false,
      locale: "fr",
      fieldErrors: { phone: "phoneInvalid" },
    });
    expect(parseSignupForm(form({ email: "a@b.co" }), "US")).toMatchObject({ fieldErrors: { email_consent: "emailNeedsConsent" } });
    expect(parseSignupForm(form({ sms_consent: "yes", sms_disclosure: SMS_TEXT }), "US")).toMatchObject({ fieldErrors: { phone: "consentNeedsPhone" } });
    expect(parseSignupForm(form({}), "US")).toMatchObject({ fieldErrors: { form: "nothingChosen" } });
  });

  it("ignores a contact whose box is not ticked when the other one is (a logged-in customer's form is filled in)", () => {
    const parsed = parseSignupForm(
      form({ email: "avery@example.com", phone: "+12125550100", email_consent: "yes", email_disclosure: EMAIL_TEXT }),
      "US",
    );
    expect(parsed).toMatchObject({ ok: true, request: { email: "avery@example.com", phone: null, emailConsent: true, smsConsent: false, smsDisclosure: null } });
  });

  it("refuses consent without the text the shopper saw, and an SMS text without STOP and HELP", () => {
    expect(parseSignupForm(form({ email: "a@b.co", email_consent: "yes" }), "US")).toMatchObject({ fieldErrors: { form: "disclosureMissing" } });
    expect(
      parseSignupForm(form({ phone: "+442071838750", sms_consent: "yes", sms_disclosure: "Texts from us. Rates may apply." }), "GB"),
    ).toMatchObject({ fieldErrors: { sms_consent: "smsDisclosureIncomplete" } });
  });

  it("refuses a field sent twice or longer than its bound", () => {
    const twice = new URLSearchParams("email=a@b.co&email=c@d.co&email_consent=yes&email_disclosure=x");
    expect(parseSignupForm(twice, "US")).toMatchObject({ ok: false, fieldErrors: { email: "emailInvalid" } });
    const long = form({ email: "a@b.co", email_consent: "yes", email_disclosure: "x".repeat(2_001) });
    expect(parseSignupForm(long, "US")).toMatchObject({ ok: false, fieldErrors: { form: "disclosureMissing" } });
  });

  it("returns only to a path of the shop, and marks a filled honeypot", () => {
    const base = { email: "a@b.co", email_consent: "yes", email_disclosure: EMAIL_TEXT };
    for (const [returnTo, expected] of [
      ["/collections/all", "/collections/all"],
      ["https://evil.example/", "/"],
      ["//evil.example/", "/"],
      ["/{{ shop.email }}", "/"],
      ["/a\\b", "/"],
    ] as const) {
      const parsed = parseSignupForm(form({ ...base, return_to: returnTo }), "US");
      expect(parsed.ok && parsed.request.returnTo).toBe(expected);
    }
    const bot = parseSignupForm(form({ ...base, website: "http://spam.example" }), "US");
    expect(bot.ok && bot.request.honeypot).toBe(true);
  });
});

describe("normalizePhone", () => {
  it.each([
    ["+1 (212) 555-0100", "US", "+12125550100"],
    ["212.555.0100", "US", "+12125550100"],
    ["1 212 555 0100", "CA", "+12125550100"],
    ["0044 20 7183 8750", "GB", "+442071838750"],
    ["+33 6 12 34 56 78", "FR", "+33612345678"],
    ["06 12 34 56 78", "FR", null],
    ["212 555 0100", null, null],
    ["+0 123 456 789", "US", null],
  ])("%s in %s → %s", (input, country, expected) => {
    expect(normalizePhone(input, country)).toBe(expected);
  });

  it("gives E.164 or nothing, for any input", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.constantFrom("US", "FR", null), (input, country) => {
        const phone = normalizePhone(input, country);
        expect(phone === null || /^\+[1-9]\d{7,14}$/.test(phone)).toBe(true);
      }),
    );
  });
});

describe("canonicalDisclosure", () => {
  it("makes the same text one version however it was wrapped", () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[A-Za-z&.]{1,8}$/), { minLength: 1, maxLength: 8 }), fc.constantFrom(" ", "\n  ", "\t"), (words, gap) => {
        expect(canonicalDisclosure(` ${words.join(gap)} `)).toBe(words.join(" "));
      }),
    );
  });
});
