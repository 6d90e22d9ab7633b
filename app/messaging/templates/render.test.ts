import { afterEach, describe, expect, it } from "vitest";
import type { MessageTemplate } from "./message-template";
import { MAX_SMS_SEGMENTS, renderMessage, validateTemplate } from "./render";
import { sampleVariables } from "./samples";
import { TemplateVariables } from "./variables";

const vars = sampleVariables("regular");
const sms = (body: string): MessageTemplate => ({ channel: "sms", body });
const email = (over: Partial<Extract<MessageTemplate, { channel: "email" }>> = {}): MessageTemplate => ({
  channel: "email",
  subject: "Hello {{ customer.firstName }}",
  html: '<p>Hi {{ customer.firstName }}</p>\n<a href="{{ unsubscribeUrl }}">Unsubscribe</a>',
  text: "Hi {{ customer.firstName }}\nUnsubscribe: {{ unsubscribeUrl }}",
  ...over,
});
const body = (t: MessageTemplate, v: TemplateVariables = vars) => {
  const r = renderMessage(t, v);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.message;
};
const errors = (t: MessageTemplate, v: TemplateVariables = vars) => {
  const r = renderMessage(t, v);
  return r.ok ? [] : r.errors;
};

describe("renderMessage: escaping", () => {
  const evil = { ...vars, customer: { firstName: `<script>alert("x")</script> & Co` } };
  it("escapes customer data in HTML and leaves subject and text as written", () => {
    const m = body(email(), evil);
    expect(m).toMatchObject({
      channel: "email",
      subject: `Hello <script>alert("x")</script> & Co`,
      text: `Hi <script>alert("x")</script> & Co\nUnsubscribe: ${vars.unsubscribeUrl}`,
    });
    if (m.channel !== "email") throw new Error("email expected");
    expect(m.html).toContain("<p>Hi &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co</p>");
    expect(m.html).not.toContain("<script>");
  });
  it("does not escape SMS", () => {
    expect(body(sms("{{ customer.firstName }}"), evil)).toMatchObject({ body: `<script>alert("x")</script> & Co` });
  });
  it("does not escape twice when a template says | escape", () => {
    const m = body(email({ html: '{{ customer.firstName | escape }} <a href="{{ unsubscribeUrl }}">u</a>' }), evil);
    expect(m.channel === "email" && m.html).toMatch(/^&lt;script&gt;alert\(&#34;x&#34;\)&lt;\/script&gt; &amp; Co /);
  });
  it("puts a subject on one line", () => {
    expect(body(email({ subject: "Hello\n  {{ customer.firstName }}\r\n!" }))).toMatchObject({ subject: "Hello Casey !" });
  });
});

describe("renderMessage: errors are located and nothing is rendered", () => {
  it("reports a parse error on line 3 with its column", () => {
    expect(errors(sms("Hello\nthere\n  {% if discount %}no end"))).toEqual([
      { part: "sms", line: 3, column: 3, message: "tag {% if discount %} not closed" },
    ]);
    expect(errors(email({ text: "a\nb\nc {{ unsubscribeUrl " }))).toEqual([
      { part: "text", line: 3, column: 3, message: 'output "{{ unsubscribeUrl " not closed' },
    ]);
  });
  it("reports an unknown variable where it is written, even in a branch the data does not take", () => {
    expect(errors(sms("Hi\n  {{ customer.fristName }}"))).toEqual([
      { part: "sms", line: 2, column: 6, message: "undefined variable: customer.fristName" },
    ]);
    expect(errors(sms("{% if discount %}\n{{ discount.cdoe }}{% endif %}{{ shopp.name }}"))).toEqual([
      { part: "sms", line: 2, column: 4, message: "undefined variable: discount.cdoe" },
      { part: "sms", line: 2, column: 34, message: "undefined variable: shopp.name" },
    ]);
    expect(errors(sms("{{ deadline.hour }} {{ products.first.titel }} {{ products[1].url }} {{ products.size }}"))).toEqual([
      { part: "sms", line: 1, column: 4, message: "undefined variable: deadline.hour" },
      { part: "sms", line: 1, column: 24, message: "undefined variable: products.first.titel" },
    ]);
  });
  it("reports an unknown property of a loop variable when rendering", () => {
    expect(errors(sms("{% for p in products %}\n  {{ p.titel }}{% endfor %}"))).toEqual([
      { part: "sms", line: 2, column: 6, message: "undefined variable: p.titel" },
    ]);
  });
  it("reports an unknown filter and a failing one", () => {
    expect(errors(sms("x\n{{ shop.name | shout }}"))).toEqual([{ part: "sms", line: 2, column: 1, message: "undefined filter: shout" }]);
    expect(errors(sms("{{ shop.name | date }}"))[0]).toMatchObject({ line: 1, column: 1, message: expect.stringMatching(/^date: expects/) });
  });
  it("collects the errors of every part", () => {
    const found = errors(email({ subject: "{{ nope }}", html: "{% if %}", text: "{{ unsubscribeUrl }} {{ customer.phone }}" }));
    expect(found.map((e) => e.part)).toEqual(["subject", "html", "text"]);
  });
  it("refuses a marketing email without the unsubscribe link", () => {
    expect(errors(email({ html: "<p>Hi</p>" }))).toEqual([
      { part: "html", line: 1, column: 1, message: "a marketing email must contain the unsubscribe link: add {{ unsubscribeUrl }}" },
    ]);
    expect(errors(email({ html: '{% if discount %}<a href="{{ unsubscribeUrl }}">u</a>{% endif %}' }))).toEqual([
      { part: "html", line: 1, column: 1, message: "the unsubscribe link is not in the rendered message (is {{ unsubscribeUrl }} inside a condition?)" },
    ]);
    expect(errors(email({ text: "Hi" }))[0]).toMatchObject({ part: "text" });
  });
  it("reaches no file and no clock", () => {
    for (const tag of ["include", "render", "layout"]) {
      expect(errors(sms(`{% ${tag} '/etc/passwd' %}`))).toEqual([{ part: "sms", line: 1, column: 1, message: `tag "${tag}" not found` }]);
    }
    expect(errors(sms("{{ 'now' | date: '%Y' }}"))[0]?.message).toMatch(/^date: expects/);
    expect(errors(sms("{{ deadline | date: '%H:%M %z' }}"))[0]?.message).toMatch(/no time zone/);
    expect(errors(sms("{{ products | sample }}"))[0]?.message).toBe("undefined filter: sample");
  });
  it("bounds loops: a huge range by allocation, nested loops by time", () => {
    expect(errors(sms("{% for i in (1..100000000) %}x{% endfor %}"))).toEqual([
      { part: "sms", line: 1, column: 1, message: "memory alloc limit exceeded" },
    ]);
    const many = { ...vars, products: Array.from({ length: 20 }, () => vars.products[0]!) };
    const loops = "{% for a in products %}".repeat(7) + "x" + "{% endfor %}".repeat(7);
    const started = performance.now();
    expect(errors(sms(loops), many)[0]?.message).toBe("template render limit exceeded");
    expect(performance.now() - started).toBeLessThan(2_000);
  });
  it("refuses an SMS of more than 10 parts", () => {
    expect(errors(sms("{% for i in (1..1600) %}a{% endfor %}"))).toEqual([
      { part: "sms", line: 1, column: 1, message: `the SMS is 11 parts (GSM-7); at most ${MAX_SMS_SEGMENTS}` },
    ]);
  });
});

describe("renderMessage: data", () => {
  const tz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = tz;
  });
  it("shows local dates as written whatever the server's time zone", () => {
    const t = sms("{{ deadline | date: '%Y-%m-%d %H:%M' }} {{ event.date | date: '%a %b %-d' }} {{ deadline | date }}");
    const v = { ...vars, deadline: "2026-11-01T01:30", event: { name: "Sale", date: "2026-12-24" } };
    for (const zone of ["UTC", "America/New_York", "Asia/Kolkata", "Pacific/Chatham", "Pacific/Kiritimati"]) {
      process.env.TZ = zone;
      expect(body(t, v)).toMatchObject({ body: "2026-11-01 01:30 Thu Dec 24 November 1, 2026, 1:30 am" });
    }
  });
  it("formats money in the shop's currency and the customer's locale", () => {
    const v = (locale?: string) => ({ ...vars, shop: { ...vars.shop, currencyCode: "EUR" }, customer: { locale } });
    expect(body(sms("{{ products.first.price | money }}"), v("de-DE"))).toMatchObject({ body: "39,00\u00a0€" });
    expect(body(sms("{{ products.first.price | money }}"), v())).toMatchObject({ body: "€39.00" });
    expect(body(sms("{{ products.first.price | money }}"), v("not a locale"))).toMatchObject({ body: "€39.00" });
  });
  it("renders an absent optional value as empty, so fallbacks work", () => {
    const v = { ...vars, customer: {}, preferencesUrl: undefined };
    expect(body(sms("Hi {{ customer.firstName | default: 'there' }}{% if preferencesUrl %}!{% endif %}"), v)).toMatchObject({ body: "Hi there" });
  });
  it("takes no customer data beyond name, email and locale, and checks the rest", () => {
    expect(TemplateVariables.safeParse({ ...vars, customer: { firstName: "A", phone: "+15550100" } }).success).toBe(false);
    expect(TemplateVariables.safeParse({ ...vars, deadline: "2026-02-30T10:00" }).success).toBe(false);
    expect(TemplateVariables.safeParse({ ...vars, unsubscribeUrl: "javascript:alert(1)" }).success).toBe(false);
    expect(() => renderMessage(sms("x"), { ...vars, deadline: "tomorrow" })).toThrow();
  });
});

describe("validateTemplate", () => {
  it("checks without data", () => {
    expect(validateTemplate(email())).toEqual([]);
    expect(validateTemplate(sms("{{ customer.fristName }}"))).toEqual([{ part: "sms", line: 1, column: 4, message: "undefined variable: customer.fristName" }]);
  });
});
