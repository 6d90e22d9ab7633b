import { describe, expect, it } from "vitest";
import { resultJson, resultPage } from "./result-page";

describe("the signup's answer", () => {
  it("is a page in the shopper's language with a way back", () => {
    const page = resultPage({ ok: true, message: "pendingEmail", locale: "fr", returnTo: "/pages/noel" });
    expect(page).toContain("<h1>Merci</h1>");
    expect(page).toContain("Presque terminé");
    expect(page).toContain('<a href="/pages/noel">Retour à la boutique</a>');
  });

  it("lists every problem once, and no brace reaches Shopify's Liquid", () => {
    const page = resultPage({
      ok: false,
      message: "emailInvalid",
      fieldErrors: { email: "emailInvalid", sms_consent: "phoneNeedsConsent" },
      locale: "en",
      returnTo: "/x?q={{ shop.email }}",
    });
    expect(page.match(/Enter an email address/g)).toHaveLength(1);
    expect(page).toContain("<li>Tick the text message box");
    expect(page).not.toMatch(/[{}]/);
  });

  it("answers the form's script with texts per field", () => {
    expect(resultJson({ ok: false, message: "phoneInvalid", fieldErrors: { phone: "phoneInvalid" }, locale: "en", returnTo: "/" })).toEqual({
      ok: false,
      message: "Enter a mobile number with its country code, like +1 212 555 0100.",
      fieldErrors: { phone: "Enter a mobile number with its country code, like +1 212 555 0100." },
    });
  });
});
