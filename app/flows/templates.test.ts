import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { MessageTemplate, RenderedMessage } from "../messaging/templates/message-template";
import { MAX_SMS_SEGMENTS, renderMessage, validateTemplate } from "../messaging/templates/render";
import type { TemplateVariables } from "../messaging/templates/variables";
import { flowIdFor } from "./ids";
import {
  DEFAULT_FLOW_TEMPLATES,
  FLOW_TEMPLATE_STEPS,
  flowCheckCases,
  flowTemplateFor,
  readSavedFlowTemplates,
  SAMPLE_RECOVERY_URL,
  sampleFlowVariables,
  SavedFlowTemplates,
  type FlowTemplateChannel,
} from "./templates";

// Hand-written: every send step of the built-in flows and its channels.
const EXPECTED: Array<[string, FlowTemplateChannel[]]> = [
  ["abandoned_checkout.first", ["email", "sms"]],
  ["abandoned_checkout.reminder", ["email", "sms"]],
  ["abandoned_checkout.last", ["email", "sms"]],
  ["welcome.first", ["email", "sms"]],
  ["welcome.best_sellers", ["email", "sms"]],
  ["win_back.delivery_promise", ["email"]],
  ["win_back.reminder", ["email"]],
  ["vip_recognition.thank_you", ["email", "sms"]],
  ["post_purchase.cross_sell", ["email"]],
];
const ALL: Array<[string, FlowTemplateChannel]> = EXPECTED.flatMap(([k, cs]) =>
  cs.map((c): [string, FlowTemplateChannel] => [k, c]),
);
const CART = ALL.filter(([k]) => k.startsWith("abandoned_checkout."));

function rendered(t: MessageTemplate, v: TemplateVariables): RenderedMessage {
  const r = renderMessage(t, v);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.message;
}
const words = (m: RenderedMessage) => (m.channel === "email" ? `${m.subject}\n${m.html}\n${m.text}` : m.body);
const render = (key: string, channel: FlowTemplateChannel, v: TemplateVariables = sampleFlowVariables(key)) =>
  rendered(flowTemplateFor(null, key, channel), v);
const email = (m: RenderedMessage) => {
  if (m.channel !== "email") throw new Error("not an email");
  return m;
};
// A real Shopify recovery link is about this long.
const LONG_URL =
  "https://snowdevil.myshopify.com/75043520817/checkouts/ac/Z2NwLWV1cm9wZS13ZXN0NDowMUpGMzA5WkE/recover?key=8f3a1c2b9d4e5f60718293a4b5c6d7e8";

describe("flow templates", () => {
  it("have a default for every send step and channel of the built-in flows, and no other", () => {
    expect(FLOW_TEMPLATE_STEPS.map((s) => [s.templateKey, [...s.channels]])).toEqual(EXPECTED);
    expect(Object.entries(DEFAULT_FLOW_TEMPLATES).map(([k, pair]) => [k, Object.keys(pair)])).toEqual(
      EXPECTED,
    );
  });

  it.each(ALL)("%s %s validates and renders for every case a save is checked with", (key, channel) => {
    const template = flowTemplateFor(null, key, channel);
    expect(validateTemplate(template)).toEqual([]);
    for (const { variables } of flowCheckCases(key)) {
      const m = rendered(template, variables);
      expect(words(m)).not.toMatch(/\bnull\b|undefined|\{\{|\{%/);
      if (m.channel === "email") {
        expect(m.html).toContain(`<a href="${variables.unsubscribeUrl}"`);
        expect(m.text).toContain(`Unsubscribe: ${variables.unsubscribeUrl}`);
        expect(m.subject).not.toMatch(/\n/);
        const name = variables.customer.firstName;
        expect(m.text.startsWith(`Hi ${name ?? "there"},`)).toBe(true);
        if (name) expect(words(m)).not.toContain("Hi there");
      }
    }
  });

  it.each(ALL.filter(([, c]) => c === "sms"))(
    "%s sms names the shop, says how to stop and stays in GSM-7 within two parts",
    (key) => {
      for (const { variables } of flowCheckCases(key)) {
        const m = render(key, "sms", variables);
        if (m.channel !== "sms") throw new Error("not an SMS");
        expect(m.body.startsWith("Sample Store: ")).toBe(true);
        expect(m.body).toMatch(/STOP to opt out$/);
        expect(m.sms.encoding).toBe("GSM-7");
        expect(m.sms.segments).toBeLessThanOrEqual(key === "abandoned_checkout.first" ? 1 : 2);
      }
      const long = { ...sampleFlowVariables(key), checkout: { url: LONG_URL, lines: [] } };
      const m = render(key, "sms", long);
      expect(m.channel === "sms" && m.sms.segments).toBeLessThanOrEqual(2);
      expect(MAX_SMS_SEGMENTS).toBeGreaterThanOrEqual(2);
    },
  );

  it.each(CART)("%s %s links the checkout's recovery URL, else the shop", (key, channel) => {
    const m = render(key, channel);
    if (m.channel === "sms") expect(m.body).toContain(SAMPLE_RECOVERY_URL);
    else {
      expect(m.html).toContain(`href="${SAMPLE_RECOVERY_URL.replace("&", "&amp;")}"`);
      expect(m.text).toMatch(
        new RegExp(
          `(Return to your cart|Complete your order): ${SAMPLE_RECOVERY_URL.replace(/[?.]/g, "\\$&")}`,
        ),
      );
    }
    const without = render(key, channel, { ...sampleFlowVariables(key), checkout: { url: null, lines: [] } });
    expect(words(without)).not.toContain("/recover");
    expect(words(without)).toContain("https://sample-store.example.com");
    if (without.channel === "email") expect(without.html).toMatch(/>Visit the shop<\/a>/);
  });

  it("lists the cart's lines with quantity and unit price, and the rest as a count", () => {
    const m = email(render("abandoned_checkout.first", "email"));
    expect(m.text).toContain("In your cart:\n- Wool Scarf x 1, $39.00\n- Ceramic Mug Set x 2, $24.50 each");
    expect(m.html).toContain("Ceramic Mug Set &times; 2");
    const lines = Array.from({ length: 12 }, (_, i) => ({
      title: `Item ${i + 1}`,
      quantity: 1,
      price: null,
    }));
    const many = email(
      render("abandoned_checkout.last", "email", {
        ...sampleFlowVariables("abandoned_checkout.last"),
        checkout: { url: LONG_URL, lines },
      }),
    );
    expect(many.text).toContain("- Item 10 x 1\nand 2 more");
    expect(many.text).not.toContain("Item 11");
  });

  it("show a discount only when the message carries one: the reminders for the price-sensitive sample, never the first message", () => {
    expect(words(render("abandoned_checkout.first", "email"))).not.toMatch(/% off|code/i);
    for (const key of ["abandoned_checkout.reminder", "abandoned_checkout.last"]) {
      expect(sampleFlowVariables(key).discount).toEqual({ code: "COMEBACK10", percent: 10 });
      for (const channel of ["email", "sms"] as const) {
        expect(words(render(key, channel))).toMatch(/COMEBACK10[\s\S]*10% off/);
        const none = render(key, channel, { ...sampleFlowVariables(key), discount: null });
        expect(words(none)).not.toMatch(/% off|COMEBACK10/);
      }
    }
    expect(email(render("abandoned_checkout.reminder", "email")).subject).toBe(
      "10% off your cart at Sample Store",
    );
  });

  it("promise win-back delivery, never a discount, and VIP recognition no discount", () => {
    const leaked = { code: "LEAKED10", percent: 10 };
    for (const [key, channel] of ALL.filter(
      ([k]) => k.startsWith("win_back.") || k.startsWith("vip_recognition."),
    ))
      expect(words(render(key, channel, { ...sampleFlowVariables(key), discount: leaked }))).not.toMatch(
        /LEAKED10|% off/,
      );
    const promise = email(render("win_back.delivery_promise", "email"));
    expect(promise.subject).toBe("Order by December 15 for delivery by Christmas");
    expect(promise.text).toContain(
      "Order by Tuesday, December 15 at 11:59 pm and your order is guaranteed to arrive in time for Christmas.",
    );
    const noCutoff = email(
      render("win_back.reminder", "email", { ...sampleFlowVariables("win_back.reminder"), delivery: null }),
    );
    expect(words(noCutoff)).not.toMatch(/guarantee|arrive/);
  });

  it("show cross-sell products only when there are some", () => {
    const m = email(render("post_purchase.cross_sell", "email"));
    expect(m.text).toContain("- Wool Scarf, $39.00: https://sample-store.example.com/products/wool-scarf");
    const none = email(
      render("post_purchase.cross_sell", "email", {
        ...sampleFlowVariables("post_purchase.cross_sell"),
        products: [],
      }),
    );
    expect(none.text).not.toMatch(/in stock now/);
  });

  it("escape any name and cart line in HTML and keep them as they are in text", () => {
    const grapheme = fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(grapheme, grapheme, fc.integer({ min: 1, max: 99 }), (firstName, title, quantity) => {
        const v = {
          ...sampleFlowVariables("abandoned_checkout.first"),
          customer: { firstName: `<b>${firstName}` },
        };
        const m = email(
          render("abandoned_checkout.first", "email", {
            ...v,
            checkout: {
              url: SAMPLE_RECOVERY_URL,
              lines: [{ title: `<i>${title}`, quantity, price: "1.00" }],
            },
          }),
        );
        expect(m.html).not.toMatch(/<b>|<i>/);
        expect(m.text).toContain(`Hi <b>${firstName},`);
        expect(m.text).toContain(`- <i>${title} x ${quantity}, $1.00`);
      }),
      { numRuns: 150 },
    );
  });
});

describe("saved flow templates", () => {
  const mine = {
    channel: "sms" as const,
    body: "{{ shop.name }}: come back! {{ checkout.url }} Reply STOP to opt out",
  };

  it("come first, the default otherwise, as the same object on every call", () => {
    const saved = readSavedFlowTemplates({ "abandoned_checkout.first": { sms: mine } });
    expect(flowTemplateFor(saved, "abandoned_checkout.first", "sms")).toEqual(mine);
    expect(flowTemplateFor(saved, "abandoned_checkout.first", "sms")).toBe(
      flowTemplateFor(saved, "abandoned_checkout.first", "sms"),
    );
    expect(flowTemplateFor(saved, "abandoned_checkout.first", "email")).toBe(
      DEFAULT_FLOW_TEMPLATES["abandoned_checkout.first"].email,
    );
    expect(flowTemplateFor(null, "welcome.first", "sms")).toBe(flowTemplateFor({}, "welcome.first", "sms"));
    // the same stored text read twice is the same object
    expect(readSavedFlowTemplates({ "abandoned_checkout.first": { sms: { ...mine } } })).toBe(saved);
    expect(readSavedFlowTemplates(null)).toBeNull();
  });

  it("refuse a key no flow sends and a channel its step does not use; a stored one of those is dropped", () => {
    const bad = SavedFlowTemplates.safeParse({ "win_back.reminder": { sms: mine }, "nope.first": {} });
    expect(bad.success ? [] : bad.error.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["win_back.reminder.sms", '"win_back.reminder" is not sent by sms'],
      ["nope.first", 'No flow sends the template "nope.first"'],
    ]);
    const kept = readSavedFlowTemplates({
      "win_back.reminder": { sms: mine },
      "welcome.first": { sms: mine, email: { channel: "email" } },
    });
    expect(kept).toEqual({ "welcome.first": { sms: mine } });
    expect(() => flowTemplateFor(kept, "win_back.reminder", "sms")).toThrow(
      'no flow template "win_back.reminder" for sms',
    );
  });
});

describe("flow ids", () => {
  it("are f_ and 40 hex of sha256 over the shop and key", () => {
    // printf 'flow\nsnowdevil.myshopify.com\nabandoned_checkout' | sha256sum | cut -c1-40
    expect(flowIdFor("snowdevil.myshopify.com", "abandoned_checkout")).toBe(
      "f_01b9937e012d94d52c3f7fb6954c70eedb0f40d8",
    );
    expect(flowIdFor("other.myshopify.com", "abandoned_checkout")).not.toBe(
      flowIdFor("snowdevil.myshopify.com", "abandoned_checkout"),
    );
  });
});
