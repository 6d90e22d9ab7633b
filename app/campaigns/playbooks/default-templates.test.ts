import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SEGMENTS, type Segment } from "../../segments/rules";
import { DEFAULT_TEMPLATES, LAST_HOURS_TEMPLATES } from "./default-templates";
import type { MessageTemplate, RenderedMessage } from "../../messaging/templates/message-template";
import { renderMessage, validateTemplate } from "../../messaging/templates/render";
import { SAMPLE_CUSTOMERS, sampleVariables } from "../../messaging/templates/samples";
import { TemplateVariables } from "../../messaging/templates/variables";

const all: Array<[string, Segment, MessageTemplate]> = SEGMENTS.flatMap(
  (s): Array<[string, Segment, MessageTemplate]> => [
    [`${s} email`, s, DEFAULT_TEMPLATES[s].email],
    [`${s} sms`, s, DEFAULT_TEMPLATES[s].sms],
  ],
).concat([
  ["last hours email", "price_sensitive", LAST_HOURS_TEMPLATES.email],
  ["last hours sms", "price_sensitive", LAST_HOURS_TEMPLATES.sms],
]);

function rendered(t: MessageTemplate, v: TemplateVariables): RenderedMessage {
  const r = renderMessage(t, v);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.message;
}
const words = (m: RenderedMessage) => (m.channel === "email" ? `${m.subject}\n${m.html}\n${m.text}` : m.body);

describe("sample data", () => {
  it("is valid, fake and fixed for every segment", () => {
    for (const s of SEGMENTS) {
      expect(TemplateVariables.parse(sampleVariables(s))).toEqual(sampleVariables(s));
      expect(SAMPLE_CUSTOMERS[s].email).toMatch(/@example\.com$/);
    }
    expect(sampleVariables("vip").discount).toBeNull();
    expect(sampleVariables("price_sensitive").discount).toEqual({ code: "CYBER20", percent: 20 });
    expect(sampleVariables("vip", { deadline: null }).deadline).toBeNull();
  });
});

describe("default templates", () => {
  it.each(all)("%s renders for the segment's sample customer", (_, segment, template) => {
    const v = sampleVariables(segment);
    expect(validateTemplate(template)).toEqual([]);
    const m = rendered(template, v);
    if (m.channel === "email") {
      expect(m.html).toContain(`<a href="${v.unsubscribeUrl}"`);
      expect(m.text).toContain(`Unsubscribe: ${v.unsubscribeUrl}`);
      expect(m.subject).not.toMatch(/\{|\}|\n/);
      const name = SAMPLE_CUSTOMERS[segment].firstName;
      if (name) expect(m.text).toContain(`Hi ${name},`);
    } else {
      expect(m.body.startsWith(`${v.shop.name}: `)).toBe(true);
      expect(m.body.endsWith("Reply STOP to opt out")).toBe(true);
      expect(m.sms).toMatchObject({ encoding: "GSM-7", segments: 1 });
    }
  });

  it.each(all)(
    "%s links nothing that real mail lacks (no preferences page exists)",
    (_, segment, template) => {
      const m = rendered(template, {
        ...sampleVariables(segment),
        preferencesUrl: "https://example.com/preferences",
      });
      expect(words(m)).not.toMatch(/preferences/i);
    },
  );

  it.each(all)("%s renders with every optional value missing", (_, segment, template) => {
    const v: TemplateVariables = {
      ...sampleVariables(segment),
      customer: {},
      deadline: null,
      delivery: null,
      discount: null,
      products: [],
      preferencesUrl: undefined,
    };
    const m = rendered(template, v);
    expect(words(m)).not.toMatch(/\bnull\b|undefined/);
    if (m.channel === "email") expect(m.text).toContain("Hi there,");
  });

  it("keep the playbooks' promises: no discount for VIP and lapsed, a code and an end for price-sensitive", () => {
    for (const segment of ["vip", "lapsed", "recent"] as const) {
      const v = { ...sampleVariables(segment), discount: { code: "LEAKED10", percent: 10 } };
      for (const t of [DEFAULT_TEMPLATES[segment].email, DEFAULT_TEMPLATES[segment].sms]) {
        expect(words(rendered(t, v))).not.toMatch(/LEAKED10|% off/);
      }
    }
    for (const t of [
      DEFAULT_TEMPLATES.price_sensitive.email,
      DEFAULT_TEMPLATES.price_sensitive.sms,
      LAST_HOURS_TEMPLATES.sms,
    ]) {
      expect(words(rendered(t, sampleVariables("price_sensitive")))).toMatch(/CYBER20[\s\S]*(Ends|until)/);
    }
    expect(words(rendered(DEFAULT_TEMPLATES.lapsed.email, sampleVariables("lapsed")))).toContain(
      "Order by <strong>Tuesday, December 15 at 11:59 pm</strong> and your order is guaranteed to arrive in time for Christmas.",
    );
    const recent = rendered(DEFAULT_TEMPLATES.recent.email, sampleVariables("recent"));
    expect(recent.channel === "email" && recent.text).toContain(
      "- Wool Scarf, $39.00: https://sample-store.example.com/products/wool-scarf",
    );
  });

  it("escape any customer name in HTML and keep it as is in text and SMS", () => {
    const name = fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(fc.constantFrom(...all), name, ([, segment, template], firstName) => {
        const tagged = `<b>${firstName}`;
        const m = rendered(template, { ...sampleVariables(segment), customer: { firstName: tagged } });
        if (m.channel === "email") {
          expect(m.html).not.toContain("<b>");
          expect(m.text).toContain(`Hi ${tagged},`);
        } else if (m.body.includes("<b>")) {
          expect(m.body).toContain(tagged);
        }
      }),
      { numRuns: 200 },
    );
  });
});
