import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SEGMENTS } from "../../segments/rules";
import { DEFAULT_TEMPLATES, LAST_HOURS_TEMPLATES } from "../../campaigns/playbooks/default-templates";
import type { MessageTemplate } from "../templates/message-template";
import { renderMessage } from "../templates/render";
import { sampleVariables, SAMPLE_PRODUCTS } from "../templates/samples";
import { customerFieldsRead, productsRead, RenderCache } from "./render-cache";

const BUILT_IN: MessageTemplate[] = [
  ...SEGMENTS.flatMap((segment) => [DEFAULT_TEMPLATES[segment].email, DEFAULT_TEMPLATES[segment].sms]),
  LAST_HOURS_TEMPLATES.email,
  LAST_HOURS_TEMPLATES.sms,
];

const email = (body: string): MessageTemplate => ({
  channel: "email",
  subject: "Hi",
  html: body,
  text: body,
});
// Templates that do something to the link: the stand-in must not leak into what they render.
const TRICKY: MessageTemplate[] = [
  email("{{ unsubscribeUrl | truncate: 40 }} {{ unsubscribeUrl }}"),
  email("{{ unsubscribeUrl | upcase }} {{ unsubscribeUrl }}"),
  email("{{ unsubscribeUrl | url_encode }} {{ unsubscribeUrl }}"),
  email("{{ unsubscribeUrl | size }} {{ unsubscribeUrl }}"),
  email("{{ unsubscribeUrl | append: '?x=1' }} {{ unsubscribeUrl | slice: 0, 60 }}"),
  email("{% assign c = customer %}{{ c.email }} {{ unsubscribeUrl }}"),
  email("{{ customer.email | default: 'you' }} {{ unsubscribeUrl }}"),
  { channel: "sms", body: "Stop: {{ unsubscribeUrl }} {{ unsubscribeUrl | remove: 'https://' }}" },
];

const token = fc.stringMatching(/^[A-Za-z0-9_.-]{20,90}$/);
const customer = fc.record(
  {
    email: fc.constantFrom(
      "a@example.com",
      "b.person@example.org",
      "https://app.example.com/unsubscribe/q@x.io",
    ),
    locale: fc.constantFrom("en-US", "de-DE", "fr"),
  },
  { requiredKeys: [] },
);

describe("RenderCache", () => {
  it("renders exactly what renderMessage renders, for every built-in and tricky template", () => {
    const caches = new Map(SEGMENTS.map((segment) => [segment, new RenderCache(sampleVariables(segment))]));
    fc.assert(
      fc.property(
        fc.constantFrom(...BUILT_IN, ...TRICKY),
        token,
        customer,
        fc.constantFrom(...SEGMENTS),
        (template, t, c, segment) => {
          const url = `https://app.example.com/unsubscribe/${t}`;
          const variables = { ...sampleVariables(segment), customer: c, unsubscribeUrl: url };
          expect(caches.get(segment)?.render(template, c, url)).toEqual(renderMessage(template, variables));
        },
      ),
      { numRuns: 400 },
    );
  });

  it("renders a built-in template once for many customers", () => {
    const cache = new RenderCache(sampleVariables("vip"));
    const template = DEFAULT_TEMPLATES.vip.email;
    const started = performance.now();
    for (let i = 0; i < 500; i++) {
      const url = `https://app.example.com/unsubscribe/u1.${"x".repeat(40 + (i % 3))}`;
      const result = cache.render(template, { email: `c${i}@example.com`, locale: "en" }, url);
      expect(result.ok && result.message.channel === "email" && result.message.html.includes(url)).toBe(true);
    }
    // three link lengths: three pairs of renders, not five hundred
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("knows which customer fields a template reads", () => {
    expect([...customerFieldsRead(DEFAULT_TEMPLATES.vip.email)].sort()).toEqual(["firstName", "locale"]);
    expect([...customerFieldsRead(TRICKY[5] ?? email(""))].sort()).toEqual([
      "email",
      "firstName",
      "lastName",
      "locale",
    ]);
    expect([...customerFieldsRead(email("{{ nope"))].length).toBe(4);
  });

  it("renders each customer's own products exactly as renderMessage does", () => {
    const shared = { ...sampleVariables("recent"), products: [] };
    const cache = new RenderCache(shared);
    const lists = [[], SAMPLE_PRODUCTS.slice(0, 1), SAMPLE_PRODUCTS.slice(1), [...SAMPLE_PRODUCTS].reverse()];
    fc.assert(
      fc.property(
        fc.constantFrom(...BUILT_IN),
        token,
        customer,
        fc.constantFrom(...lists),
        (template, t, c, products) => {
          const url = `https://app.example.com/unsubscribe/${t}`;
          const variables = { ...shared, products: [...products], customer: c, unsubscribeUrl: url };
          expect(cache.render(template, c, url, products)).toEqual(renderMessage(template, variables));
        },
      ),
      { numRuns: 300 },
    );
    expect(productsRead(DEFAULT_TEMPLATES.recent.email)).toBe(true);
    expect(productsRead(DEFAULT_TEMPLATES.lapsed.email)).toBe(false);
  });
});
