import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildPlaybook, setSendTemplate, type CampaignDraft } from "../playbooks";
import { DEFAULT_TEMPLATES, LAST_HOURS_TEMPLATES } from "../playbooks/default-templates";
import {
  MessageTemplate,
  type EmailTemplate,
  type SmsTemplate,
} from "../../messaging/templates/message-template";
import { validateTemplate } from "../../messaging/templates/render";
import { checkTemplate, SAMPLE_SHOP, templateFor, templateRenderIssues } from "./campaign-templates";
import { defaultDefinition, parseDefinition, storedDefinition, type CampaignDefinition } from "./definition";

const drafts = buildPlaybook({ playbook: "cyber-week", year: 2026, countryCode: "US" });
function draftOf(segment: string): CampaignDraft {
  const d = drafts.find((x) => x.segment === segment);
  if (!d) throw new Error(`no ${segment} draft`);
  return d;
}
const priceSensitive = draftOf("price_sensitive");
const vip = draftOf("vip");

const sms = (body: string): SmsTemplate => ({ channel: "sms", body });
const email: EmailTemplate = {
  channel: "email",
  subject: "Custom: {{ event.name }}",
  html: '<p>Custom</p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>',
  text: "Custom\nUnsubscribe: {{ unsubscribeUrl }}",
};

/** The draft with templates stored as is (no validation): what a definition read back may hold. */
const withTemplates = (draft: CampaignDraft, templates: CampaignDraft["templates"]): CampaignDraft => ({
  ...draft,
  templates,
});
const roundTrip = (definition: CampaignDefinition) =>
  parseDefinition(JSON.parse(JSON.stringify(storedDefinition(definition))));

describe("templateFor", () => {
  it("takes the merchant's template first, else the segment's default, the last-hours one for last_hours", () => {
    const draft = { ...priceSensitive, templates: { launch: { email } } };
    expect(templateFor(draft, "launch", "email", "price_sensitive")).toBe(email);
    expect(templateFor(draft, "launch", "sms", "price_sensitive")).toBe(
      DEFAULT_TEMPLATES.price_sensitive.sms,
    );
    expect(templateFor(draft, "last_hours", "email", "price_sensitive")).toBe(LAST_HOURS_TEMPLATES.email);
    expect(templateFor(draft, "reminder", "email", "vip")).toBe(DEFAULT_TEMPLATES.vip.email);
    expect(templateFor(draft, "nonsense", "sms", "nonsense")).toBe(DEFAULT_TEMPLATES.price_sensitive.sms);
    // the same object every time: the dispatcher's render cache knows templates by identity
    expect(templateFor(draft, "launch", "email", "x")).toBe(templateFor(draft, "launch", "email", "y"));
  });
});

describe("checkTemplate: renders with the campaign's own data", () => {
  it("accepts the defaults of every draft", () => {
    for (const d of drafts)
      for (const send of d.sends)
        for (const channel of ["email", "sms"] as const)
          expect(checkTemplate(d, templateFor(d, send.key, channel, d.segment))).toEqual([]);
  });

  it("refuses what the campaign's data cannot render: a deadline the VIP campaign does not have", () => {
    const t = sms("{{ shop.name }}: ends {{ deadline | date: '%b %-e' }}. Reply STOP to opt out");
    expect(checkTemplate(priceSensitive, t)).toEqual([]);
    expect(checkTemplate(vip, t)).toEqual([
      {
        part: "sms",
        line: 1,
        column: 23,
        message: "date: expects an ISO local date or date-time such as event.date or deadline",
      },
    ]);
  });

  it("refuses what renders for the sample customer but not for a customer without a name or products", () => {
    const recent = draftOf("recent");
    expect(checkTemplate(recent, sms("Hi {{ customer.firstName }}, {{ products.first.title }}"))).toEqual([
      {
        part: "sms",
        line: 1,
        column: 33,
        message: "undefined variable: products.first (for a customer without a name or products)",
      },
    ]);
    expect(
      checkTemplate(recent, sms("Hi{% if products.size > 0 %} {{ products.first.title }}{% endif %}")),
    ).toEqual([]);
  });

  it("names each unrenderable saved template by field path", () => {
    const draft = withTemplates(vip, { early_access: { sms: sms("{{ deadline | date }}"), email } });
    expect(templateRenderIssues(draft)).toEqual([
      {
        path: "templates.early_access.sms.body",
        message:
          "SMS body, line 1, column 1: date: expects an ISO local date or date-time such as event.date or deadline",
      },
    ]);
  });
});

describe("a definition with saved templates", () => {
  it("round-trips through its stored form", () => {
    const set = setSendTemplate(priceSensitive, { send: "launch", channel: "email", template: email });
    if (!set.ok) throw new Error(set.message);
    const definition = defaultDefinition(set.draft);
    expect(roundTrip(definition)).toEqual({ ok: true, definition });
  });

  it("is refused when read back if a template does not parse or render, with part, line and column", () => {
    const broken = defaultDefinition(
      withTemplates(priceSensitive, { launch: { sms: sms("Hi\n {{ shop.name ") } }),
    );
    expect(roundTrip(broken)).toEqual({
      ok: false,
      issues: [
        {
          path: "draft.templates.launch.sms.body",
          message: 'SMS body, line 2, column 2: output "{{ shop.name " not closed',
        },
      ],
    });
    const unrenderable = defaultDefinition(
      withTemplates(vip, { early_access: { sms: sms("{{ deadline | date }}") } }),
    );
    expect(roundTrip(unrenderable)).toMatchObject({
      ok: false,
      issues: [
        {
          path: "draft.templates.early_access.sms.body",
          message: expect.stringMatching(/^SMS body, line 1, column 1: date: /),
        },
      ],
    });
  });

  // Pieces of Liquid, good and bad: known and unknown variables, filters that need data the
  // campaign may not have, tags that do not close, loops, and plain text (braces included).
  const piece = fc.oneof(
    fc.constantFrom(
      "{{ shop.name }}",
      "{{ customer.firstName | default: 'there' }}",
      "{{ customer.firstName | upcase }}",
      "{% if discount %}{{ discount.percent }}% off with {{ discount.code }}{% endif %}",
      "{{ discount.code }}",
      "{{ deadline | date: '%b %-e' }}",
      "{% if deadline %}{{ deadline | date: '%b %-e' }}{% endif %}",
      "{{ event.date | date: '%A' }}",
      "{{ products.first.title }}",
      "{% for p in products %}{{ p.title }} {{ p.price | money }}{% endfor %}",
      "{{ customer.fristName }}",
      "{% if discount %}",
      "{{ shop.name ",
      "{{ 'x' | shout }}",
      "{% for i in (1..400) %}abcdefgh{% endfor %}",
      " Reply STOP to opt out",
      "\n",
    ),
    fc.string({ maxLength: 12 }),
  );
  const template = fc.oneof(
    fc.array(piece, { minLength: 1, maxLength: 6 }).map((parts): MessageTemplate => sms(parts.join(""))),
    fc
      .tuple(fc.array(piece, { minLength: 1, maxLength: 3 }), fc.array(piece, { maxLength: 3 }), fc.boolean())
      .map(([subject, body, link]): MessageTemplate => ({
        channel: "email",
        subject: subject.join(""),
        html: `<p>${body.join("")}</p>${link ? '<a href="{{ unsubscribeUrl }}">u</a>' : ""}`,
        text: `${body.join("")}\n{{ unsubscribeUrl }}`,
      })),
  );

  it("accepts any template that renders for the campaign, and round-trips it; refuses any that does not", () => {
    fc.assert(
      fc.property(fc.constantFrom(...drafts), template, (draft, t) => {
        const send = draft.sends[0]?.key ?? "launch";
        const complete = MessageTemplate.safeParse(t).success;
        const renders = complete && validateTemplate(t).length === 0 && checkTemplate(draft, t).length === 0;
        const definition = defaultDefinition({ ...draft, templates: { [send]: { [t.channel]: t } } });
        const read = roundTrip(definition);
        expect(read.ok).toBe(renders);
        if (read.ok) expect(read).toEqual({ ok: true, definition });
        else {
          expect(
            read.issues.every((i) =>
              /^draft\.templates\.[a-z_]+\.(email|sms)\.(subject|html|text|body)$/.test(i.path),
            ),
          ).toBe(true);
          // a part left empty is a form error; everything else is located in the Liquid
          if (complete)
            expect(read.issues.every((i) => /, line \d+, column \d+: /.test(i.message))).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("checks with the sample shop, whatever the preview's shop", () => {
    expect(SAMPLE_SHOP).toEqual({
      name: "Sample Store",
      domain: "sample-store.example.com",
      currencyCode: "USD",
    });
  });
});
