import { describe, expect, it } from "vitest";
import { defaultDefinition } from "../../campaigns/lifecycle/definition";
import { buildPlaybook } from "../../campaigns/playbooks";
import { campaignContent, type CampaignContent } from "../../campaigns/lifecycle/campaign-content";
import { prepareMessage, type OutboxRow, type PrepareInput, type Recipient } from "./message";

const drafts = buildPlaybook({ playbook: "cyber-week", year: 2026, countryCode: "US" });
const draftOf = (segment: string) => {
  const draft = drafts.find((d) => d.segment === segment);
  if (!draft) throw new Error(segment);
  return draft;
};
const shop = { name: "Maple & Co", domain: "maple.example.com", currencyCode: "CAD" };
const priceSensitive = campaignContent(defaultDefinition(draftOf("price_sensitive")), shop, "test-campaign");

const recipient: Recipient = {
  firstName: "Ann",
  lastName: "Lee",
  email: "ann@example.com",
  phone: "+15551230000",
  locale: "en-US",
  countryCode: "US",
  provinceCode: "NY",
  emailMarketingState: "SUBSCRIBED",
  smsMarketingState: "SUBSCRIBED",
};
const row = (over: Partial<OutboxRow> = {}): OutboxRow => ({
  id: "m_0123456789abcdef",
  customerId: "42",
  sendKey: "launch",
  segment: "price_sensitive",
  channel: "email",
  timeZone: "America/New_York",
  attempts: 1,
  ...over,
});
const input = (over: Partial<PrepareInput> = {}): PrepareInput => ({
  shop: "maple.myshopify.com",
  campaignId: "c_1",
  content: priceSensitive,
  row: row(),
  recipient,
  suppressions: [],
  unsubscribeUrl: (channel) => `https://app.example.com/unsubscribe/u1.${channel}.token`,
  // Black Friday 2026, 15:00 in New York
  now: new Date("2026-11-27T20:00:00Z"),
  ...over,
});

describe("prepareMessage", () => {
  it("renders an email with its key, the customer's address and the one-click unsubscribe headers", () => {
    const prepared = prepareMessage(input());
    if (prepared.kind !== "send" || prepared.message.content.channel !== "email")
      throw new Error(prepared.kind);
    expect(prepared.message).toMatchObject({
      idempotencyKey: "m_0123456789abcdef",
      to: "ann@example.com",
      metadata: { shop: "maple.myshopify.com", campaignId: "c_1", customerId: "42" },
    });
    const { content } = prepared.message;
    expect(content.subject).toBe("20% off: Cyber Week is on at Maple & Co");
    expect(content.text).toMatch(/^Hi Ann,\n/);
    expect(content.html).toContain("<p>Hi Ann,</p>");
    expect(content.text).toContain("CYBERWEEK2026");
    expect(content.html).toContain("https://app.example.com/unsubscribe/u1.email.token");
    expect(content.headers).toEqual({
      "List-Unsubscribe": "<https://app.example.com/unsubscribe/u1.email.token>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
  });

  it("greets the customer by first name, escaped in HTML; without one (or one too long to use) the templates' fallback", () => {
    const greeting = (firstName: string | null) => {
      const prepared = prepareMessage(input({ recipient: { ...recipient, firstName } }));
      if (prepared.kind !== "send" || prepared.message.content.channel !== "email")
        throw new Error(prepared.kind);
      return {
        text: prepared.message.content.text.split("\n")[0],
        html: /<p>Hi [^<]*<\/p>/.exec(prepared.message.content.html)?.[0],
      };
    };
    expect(greeting("Zoë <b>")).toEqual({ text: "Hi Zoë <b>,", html: "<p>Hi Zoë &lt;b&gt;,</p>" });
    expect(greeting(null)).toEqual({ text: "Hi there,", html: "<p>Hi there,</p>" });
    expect(greeting("x".repeat(256))).toEqual({ text: "Hi there,", html: "<p>Hi there,</p>" });
    // the outbound webhook carries the name too
    const hook = prepareMessage(input({ row: row({ channel: "webhook" }) }));
    expect(hook.kind === "send" && hook.message.content).toMatchObject({
      payload: { customer: { id: "42", firstName: "Ann", lastName: "Lee" } },
    });
  });

  it("uses the last-hours template for that send and the segment's own otherwise", () => {
    const last = prepareMessage(input({ row: row({ sendKey: "last_hours", channel: "sms" }) }));
    expect(last.kind === "send" && last.message.content).toMatchObject({
      channel: "sms",
      body: expect.stringMatching(/^Maple & Co: last hours of Cyber Week!/),
    });
    const vip = campaignContent(defaultDefinition(draftOf("vip")), shop, "test-campaign");
    const early = prepareMessage(
      input({ content: vip, row: row({ sendKey: "early_access", segment: "vip", channel: "sms" }) }),
    );
    expect(early.kind === "send" && early.message).toMatchObject({
      to: "+15551230000",
      content: { body: expect.stringContaining("early access") },
    });
    // the public sale opens two days after the VIPs' early access
    expect(vip.variables.event).toEqual({ name: "Cyber Week", date: "2026-11-27" });
  });

  it("sends a webhook with the customer's id as recipient and the campaign's facts", () => {
    const prepared = prepareMessage(input({ row: row({ channel: "webhook" }) }));
    expect(prepared.kind === "send" && prepared.message).toMatchObject({
      to: "42",
      content: {
        channel: "webhook",
        payload: {
          campaignId: "c_1",
          sendKey: "launch",
          customer: { id: "42", email: "ann@example.com" },
          discount: { code: "CYBERWEEK2026", percent: 20 },
          unsubscribeUrls: { email: "https://app.example.com/unsubscribe/u1.email.token" },
        },
      },
    });
  });

  it("carries the customer's own products, in the email and in the webhook payload", () => {
    const recent = campaignContent(defaultDefinition(draftOf("recent")), shop, "test-campaign");
    const products = [
      { title: "Wool Scarf", url: "https://maple.example.com/products/wool-scarf", price: "39.00" },
    ];
    const base = {
      content: recent,
      row: row({ segment: "recent" }),
      products,
      now: new Date(`${draftOf("recent").startsAt}T20:00:00Z`),
    };
    const mail = prepareMessage(input(base));
    expect(
      mail.kind === "send" && mail.message.content.channel === "email" && mail.message.content.text,
    ).toContain("- Wool Scarf, CA$39.00: https://maple.example.com/products/wool-scarf");
    const hook = prepareMessage(input({ ...base, row: row({ segment: "recent", channel: "webhook" }) }));
    expect(hook.kind === "send" && hook.message.content).toMatchObject({
      payload: {
        products: [
          {
            title: "Wool Scarf",
            url: "https://maple.example.com/products/wool-scarf",
            price: "39.00",
            imageUrl: null,
          },
        ],
      },
    });
    const none = prepareMessage(input({ ...base, products: [] }));
    expect(
      none.kind === "send" && none.message.content.channel === "email" && none.message.content.text,
    ).not.toContain("Wool Scarf");
  });

  it("skips what may no longer be sent: gone, unsubscribed, suppressed, no address, campaign over", () => {
    expect(prepareMessage(input({ recipient: undefined }))).toEqual({
      kind: "skip",
      reason: "customer_missing",
    });
    expect(
      prepareMessage(input({ recipient: { ...recipient, emailMarketingState: "UNSUBSCRIBED" } })),
    ).toEqual({ kind: "skip", reason: "no_consent" });
    expect(prepareMessage(input({ suppressions: [{ channel: "all", reason: "complained" }] }))).toEqual({
      kind: "skip",
      reason: "suppressed_complained",
    });
    expect(
      prepareMessage(input({ row: row({ channel: "sms" }), recipient: { ...recipient, phone: null } })),
    ).toEqual({ kind: "skip", reason: "no_address" });
    // Cyber Monday (the last day) ends at midnight in New York, 05:00 UTC
    expect(prepareMessage(input({ now: new Date("2026-12-01T04:59:00Z") })).kind).toBe("send");
    expect(prepareMessage(input({ now: new Date("2026-12-01T05:00:00Z") }))).toEqual({
      kind: "skip",
      reason: "campaign_ended",
    });
  });

  it("holds a text outside the recipient's hours until they open, unless the campaign is over by then", () => {
    const late = input({ row: row({ channel: "sms" }), now: new Date("2026-11-28T02:30:00Z") }); // 21:30 in New York
    expect(prepareMessage(late)).toEqual({ kind: "defer", sendAt: new Date("2026-11-28T13:00:00Z") });
    const florida = { ...recipient, provinceCode: "FL" };
    expect(prepareMessage({ ...late, now: new Date("2026-11-28T01:30:00Z"), recipient: florida })).toEqual({
      kind: "defer",
      sendAt: new Date("2026-11-28T13:00:00Z"),
    });
    expect(prepareMessage({ ...late, now: new Date("2026-12-01T03:00:00Z") })).toEqual({
      kind: "skip",
      reason: "campaign_ended",
    });
  });

  it("fails a message whose template does not render, naming where", () => {
    const broken: CampaignContent = {
      ...priceSensitive,
      templateFor: () => ({ channel: "sms", body: "Hi {{ customer.fristName }}" }),
    };
    expect(prepareMessage(input({ content: broken, row: row({ channel: "sms" }) }))).toEqual({
      kind: "fail",
      reason: "template: sms 1:7 undefined variable: customer.fristName",
    });
  });
});
