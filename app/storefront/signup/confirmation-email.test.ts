import { describe, expect, it } from "vitest";
import { confirmationEmail } from "./confirmation-email";

const link = "https://avery.example/apps/holiday/confirm?token=abc.def&locale=en";

describe("the double opt-in email", () => {
  it("carries one link, the shop's name escaped in HTML, and what to do if it was not you", () => {
    const email = confirmationEmail({ shopName: "Avery & <Sons>", link, locale: "en", days: 7 });
    expect(email.subject).toBe("Confirm your subscription to Avery & <Sons>");
    expect(email.text).toBe(
      "Someone, hopefully you, asked to get emails from Avery & <Sons> with news and offers.\n\n" +
        `Confirm my subscription: ${link}\n\n` +
        "The link works for 7 days. If it wasn't you, ignore this email: you will not be subscribed.\n",
    );
    expect(email.html.match(/<a /g)).toHaveLength(1);
    expect(email.html).toContain('href="https://avery.example/apps/holiday/confirm?token=abc.def&amp;locale=en"');
    expect(email.html).toContain("Avery &amp; &lt;Sons&gt;");
    expect(email.html).not.toContain("<Sons>");
  });

  it("is written in French for a French storefront", () => {
    const email = confirmationEmail({ shopName: "Avery Goods", link, locale: "fr", days: 7 });
    expect(email.subject).toBe("Confirmez votre inscription à Avery Goods");
    expect(email.text).toContain("les e-mails de la boutique Avery Goods");
    expect(email.text).toContain(`Confirmer mon inscription\u00a0: ${link}`);
    expect(email.html).toContain('<html lang="fr">');
  });
});
