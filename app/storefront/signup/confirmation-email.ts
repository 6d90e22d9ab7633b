import type { EmailContent } from "../../messaging/channels/types";
import type { SignupLocale } from "./messages";

// The double opt-in email: one link that confirms, nothing else to click, and what to do when the
// shopper never signed up (nothing). Transactional: no tracking, no unsubscribe footer. Pure.

const TEXTS = {
  en: {
    subject: (shop: string) => `Confirm your subscription to ${shop}`,
    intro: (shop: string) => `Someone, hopefully you, asked to get emails from ${shop} with news and offers.`,
    action: "Confirm my subscription",
    colon: ":",
    ignore: "If it wasn't you, ignore this email: you will not be subscribed.",
    expires: (days: number) => `The link works for ${days} days.`,
  },
  fr: {
    subject: (shop: string) => `Confirmez votre inscription à ${shop}`,
    intro: (shop: string) => `Quelqu’un, vous sans doute, a demandé à recevoir les e-mails de la boutique ${shop} (nouveautés et offres).`,
    action: "Confirmer mon inscription",
    colon: "\u00a0:",
    ignore: "Si ce n’était pas vous, ignorez cet e-mail : vous ne serez pas inscrit.",
    expires: (days: number) => `Le lien est valable ${days} jours.`,
  },
} as const;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

export function confirmationEmail(args: { shopName: string; link: string; locale: SignupLocale; days: number }): EmailContent {
  const t = TEXTS[args.locale];
  const shop = escapeHtml(args.shopName);
  const link = escapeHtml(args.link);
  return {
    channel: "email",
    subject: t.subject(args.shopName),
    text: `${t.intro(args.shopName)}\n\n${t.action}${t.colon} ${args.link}\n\n${t.expires(args.days)} ${t.ignore}\n`,
    html: `<!doctype html><html lang="${args.locale}"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a">
<p>${escapeHtml(t.intro(args.shopName))}</p>
<p><a href="${link}" style="display:inline-block;background:#1a1a1a;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(t.action)}</a></p>
<p style="color:#555">${escapeHtml(t.expires(args.days))} ${escapeHtml(t.ignore)}</p>
<p style="color:#555">${shop}</p>
</body></html>`,
  };
}
