import { describe, expect, it } from "vitest";
import { defaultDefinition } from "./definition";
import { buildPlaybook, setSendTemplate, type CampaignDraft } from "../playbooks";
import { DEFAULT_TEMPLATES } from "../playbooks/default-templates";
import type { EmailTemplate, SmsTemplate } from "../../messaging/templates/message-template";
import { campaignContent, type CampaignContent } from "./campaign-content";
import { prepareMessage, type PrepareInput } from "../../messaging/dispatch/message";

// The dispatcher's side of saved templates: each campaign's messages come from its own templates,
// and a campaign's render cache never hands one campaign's (or one template's) text to another.

const [base] = buildPlaybook({ playbook: "cyber-week", year: 2026, countryCode: "US" }).filter(
  (d) => d.segment === "price_sensitive",
);
if (!base) throw new Error("no price-sensitive draft");
const shop = { name: "Maple & Co", domain: "maple.example.com", currencyCode: "CAD" };

function withTemplate(
  draft: CampaignDraft,
  send: string,
  template: EmailTemplate | SmsTemplate,
): CampaignDraft {
  const set = setSendTemplate(draft, { send, channel: template.channel, template });
  if (!set.ok) throw new Error(set.message);
  return set.draft;
}
const sms = (body: string): SmsTemplate => ({ channel: "sms", body });
const customEmail: EmailTemplate = {
  channel: "email",
  subject: "Ours: {{ event.name }}",
  html: '<p>Ours for {{ customer.email }}</p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>',
  text: "Ours for {{ customer.email }}\nUnsubscribe: {{ unsubscribeUrl }}",
};

const contentA = campaignContent(
  defaultDefinition(
    withTemplate(
      withTemplate(base, "launch", sms("A: {{ discount.code }} Reply STOP")),
      "launch",
      customEmail,
    ),
  ),
  shop,
  "test-campaign",
);
const contentB = campaignContent(
  defaultDefinition(withTemplate(base, "launch", sms("B: {{ discount.code }} Reply STOP"))),
  shop,
  "test-campaign",
);
const plain = campaignContent(defaultDefinition(base), shop, "test-campaign");

const input = (
  content: CampaignContent,
  channel: "email" | "sms",
  customerId = "42",
  sendKey = "launch",
): PrepareInput => ({
  shop: "maple.myshopify.com",
  campaignId: "c_1",
  content,
  row: {
    id: `m_${customerId}_${channel}`,
    customerId,
    sendKey,
    segment: "price_sensitive",
    channel,
    timeZone: "America/New_York",
    attempts: 1,
  },
  recipient: {
    firstName: null,
    lastName: null,
    email: `c${customerId}@example.com`,
    phone: "+15551230000",
    locale: "en-US",
    countryCode: "US",
    provinceCode: "NY",
    emailMarketingState: "SUBSCRIBED",
    smsMarketingState: "SUBSCRIBED",
  },
  suppressions: [],
  unsubscribeUrl: (c) => `https://app.example.com/unsubscribe/u${customerId}.${c}.token`,
  now: new Date("2026-11-27T20:00:00Z"),
});

const sent = (i: PrepareInput) => {
  const prepared = prepareMessage(i);
  if (prepared.kind !== "send") throw new Error(JSON.stringify(prepared));
  return prepared.message.content;
};

describe("campaignContent with saved templates", () => {
  it("sends the saved template of a send, the default for the others", () => {
    expect(sent(input(contentA, "sms"))).toEqual({ channel: "sms", body: "A: CYBERWEEK2026 Reply STOP" });
    expect(sent(input(contentA, "email"))).toMatchObject({
      subject: "Ours: Cyber Week",
      text: expect.stringContaining("Ours for c42@example.com"),
    });
    expect(sent(input(contentA, "sms", "42", "last_hours"))).toMatchObject({
      body: expect.stringMatching(/^Maple & Co: last hours/),
    });
    expect(contentA.templateFor("launch", "sms", "price_sensitive")).toBe(
      contentA.templateFor("launch", "sms", "price_sensitive"),
    );
    expect(plain.templateFor("launch", "sms", "price_sensitive")).toBe(DEFAULT_TEMPLATES.price_sensitive.sms);
  });

  it("keeps each campaign's renders apart, and each template's within one campaign", () => {
    for (let n = 0; n < 3; n++) {
      expect(sent(input(contentA, "sms"))).toMatchObject({ body: "A: CYBERWEEK2026 Reply STOP" });
      expect(sent(input(contentB, "sms"))).toMatchObject({ body: "B: CYBERWEEK2026 Reply STOP" });
      expect(sent(input(plain, "sms"))).toMatchObject({
        body: expect.stringMatching(/^Maple & Co: Cyber Week is on!/),
      });
    }
    // One cache, two templates, the same customer and link: two texts.
    const url = "https://app.example.com/unsubscribe/u1.sms.token";
    const customer = { email: "c1@example.com", locale: "en-US" };
    const one = contentA.renders.render(sms("one {{ unsubscribeUrl }}"), customer, url);
    const two = contentA.renders.render(sms("two {{ unsubscribeUrl }}"), customer, url);
    expect([
      one.ok && one.message.channel === "sms" && one.message.body,
      two.ok && two.message.channel === "sms" && two.message.body,
    ]).toEqual([`one ${url}`, `two ${url}`]);
    // and the saved email reads the customer's address: never another customer's text
    expect(sent(input(contentA, "email", "7"))).toMatchObject({
      text: expect.stringContaining("Ours for c7@example.com"),
    });
    expect(sent(input(contentA, "email", "8"))).toMatchObject({
      text: expect.stringContaining("Ours for c8@example.com"),
    });
  });

  it("fails, never sends, a saved template that does not render for this customer", () => {
    // renders for the sample customer and for one without an address; not for c13
    const picky = campaignContent(
      defaultDefinition(
        withTemplate(
          base,
          "launch",
          sms(
            "Hi{% if customer.email == 'c13@example.com' %}{{ event.date | date: '%z' }}{% endif %} Reply STOP",
          ),
        ),
      ),
      shop,
      "test-campaign",
    );
    expect(sent(input(picky, "sms", "12"))).toEqual({ channel: "sms", body: "Hi Reply STOP" });
    expect(prepareMessage(input(picky, "sms", "13"))).toEqual({
      kind: "fail",
      reason: "template: sms 1:47 date: these values have no time zone (%z, %Z and %s are not available)",
    });
  });
});
