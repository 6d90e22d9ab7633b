import { signupMessage, type SignupLocale, type SignupMessageKey } from "./messages";
import type { SignupField } from "./signup-form";

// The page a signup or confirmation answers with when the shopper's browser posted the form
// itself (no JavaScript). Shopify renders an app proxy's `application/liquid` answer inside the
// shop's theme, so every character of it is ours or escaped — braces included, which Liquid would
// otherwise run. Pure.

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "{": "&#123;",
  "}": "&#125;",
};
const escape = (s: string) => s.replace(/[&<>"'{}]/g, (c) => ENTITIES[c] ?? c);

export interface ResultPage {
  ok: boolean;
  message: SignupMessageKey;
  fieldErrors?: Partial<Record<SignupField, SignupMessageKey>>;
  locale: SignupLocale;
  returnTo: string;
}

export function resultPage(page: ResultPage): string {
  const t = (key: SignupMessageKey) => escape(signupMessage(page.locale, key));
  const others = [...new Set(Object.values(page.fieldErrors ?? {}))].filter((key) => key !== page.message);
  const list = others.length > 0 ? `<ul>${others.map((key) => `<li>${t(key)}</li>`).join("")}</ul>` : "";
  return `<div class="page-width hs-result" lang="${page.locale}">
  <h1>${t(page.ok ? "thanksTitle" : "problemTitle")}</h1>
  <p role="${page.ok ? "status" : "alert"}">${t(page.message)}</p>${list}
  <p><a href="${escape(page.returnTo)}">${t("back")}</a></p>
</div>`;
}

/** The same answer for the form's script. */
export function resultJson(page: ResultPage & { state?: string }) {
  const fieldErrors = Object.fromEntries(
    Object.entries(page.fieldErrors ?? {}).map(([field, key]) => [field, signupMessage(page.locale, key)]),
  );
  return {
    ok: page.ok,
    message: signupMessage(page.locale, page.message),
    ...(page.state ? { state: page.state } : {}),
    ...(Object.keys(fieldErrors).length > 0 ? { fieldErrors } : {}),
  };
}
