import type { Segment } from "../../segments/rules";
import type { EmailTemplate, SmsTemplate } from "../../messaging/templates/message-template";

// The starting templates a merchant edits, one per segment and channel, written to each segment's
// treatment (rules.ts SEGMENT_TREATMENT) and the playbooks: VIPs get early access and no discount,
// price-sensitive customers a code and a clear end, lapsed ones a delivery promise and cut-off
// instead of a discount, recent buyers in-stock products. Every date they state is the campaign's
// own (campaign-templates.ts): the sale's start and end, a cut-off still ahead, "in time for" the
// occasion the cut-off is for (campaigns/default-copy.test.ts checks each against the calendar). SMS stay in GSM-7 (plain ASCII), name
// the shop and say how to stop. Pure data.

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
const MUTED = "color:#6d7175;";

const button = (label: string) =>
  `<p style="margin:24px 0;"><a href="https://{{ shop.domain }}" style="background:#202223;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block;">${label}</a></p>`;

const productsHtml = `{% if products.size > 0 %}
<table role="presentation" width="100%" cellpadding="0" cellspacing="0">
{% for product in products limit: 3 %}  <tr>
    {% if product.imageUrl %}<td width="88" style="padding:8px 12px 8px 0;"><img src="{{ product.imageUrl }}" alt="{{ product.title }}" width="80" style="display:block;border-radius:4px;"></td>{% endif %}
    <td style="padding:8px 0;"><a href="{{ product.url }}" style="color:#202223;">{{ product.title }}</a><br><span style="${MUTED}">{{ product.price | money }}</span></td>
  </tr>
{% endfor %}</table>
{% endif %}`;

const productsText = `{% for product in products limit: 3 %}
- {{ product.title }}, {{ product.price | money }}: {{ product.url }}{% endfor %}`;

function html(body: string): string {
  return `<!doctype html>
<html lang="en">
<body style="margin:0;padding:0;background:#f6f6f7;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f6f6f7;"><tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border-radius:8px;font-family:${FONT};color:#202223;">
<tr><td style="padding:32px 32px 0;font-size:14px;${MUTED}">{{ shop.name }}</td></tr>
<tr><td style="padding:16px 32px 8px;font-size:16px;line-height:1.5;">
<p>Hi {{ customer.firstName | default: "there" }},</p>
${body}
</td></tr>
<tr><td style="padding:16px 32px 32px;font-size:12px;line-height:1.5;${MUTED}border-top:1px solid #e1e3e5;">
You are receiving this because you subscribed to emails from {{ shop.name }}.
<a href="{{ unsubscribeUrl }}" style="${MUTED}">Unsubscribe</a>
</td></tr>
</table>
</td></tr></table>
</body>
</html>
`;
}

function text(body: string): string {
  return `Hi {{ customer.firstName | default: "there" }},

${body}

{{ shop.name }}: https://{{ shop.domain }}
Unsubscribe: {{ unsubscribeUrl }}
`;
}

const email = (subject: string, htmlBody: string, textBody: string): EmailTemplate => ({
  channel: "email",
  subject,
  html: html(htmlBody),
  text: text(textBody),
});
const sms = (body: string): SmsTemplate => ({ channel: "sms", body: `{{ shop.name }}: ${body} Reply STOP to opt out` });

const DEADLINE = `{{ deadline | date: "%A, %B %-e at %-l:%M %P" }}`;
const EVENT_DAY = `{{ event.date | date: "%A, %B %-e" }}`;
const ORDER_BY = `{{ delivery.orderBy | date: "%A, %B %-e at %-l:%M %P" }}`;
// the express cut-off is promised only once the standard one has passed
const EXPRESS = `{% if delivery.shipping == "express" %} with express shipping{% endif %}`;
// The announcements go out on the sale's first day: "runs from … to …" stays true whenever they are read.
const RUNS = `{{ event.name }} runs from ${EVENT_DAY}{% if deadline %} to {{ deadline | date: "%A, %B %-e" }}{% endif %}`;
const RUNS_SMS = `{{ event.name }} runs from {{ event.date | date: "%b %-e" }}{% if deadline %} to {{ deadline | date: "%b %-e" }}{% endif %}{% if discount %}: {{ discount.percent }}% off with code {{ discount.code }}{% endif %}`;
const OFFER_HTML = `{% if discount %} Take {{ discount.percent }}% off with the code <strong>{{ discount.code }}</strong>.{% endif %}`;
const OFFER_TEXT = `{% if discount %} Take {{ discount.percent }}% off with the code {{ discount.code }}.{% endif %}`;

export const DEFAULT_TEMPLATES: Readonly<Record<Segment, { email: EmailTemplate; sms: SmsTemplate }>> = Object.freeze({
  vip: {
    email: email(
      `Early access for you: {{ event.name }} at {{ shop.name }}`,
      `<p>As one of our best customers, you get first pick. {{ event.name }} opens to everyone on ${EVENT_DAY}, but you can shop it now.</p>
${productsHtml}${button("Shop early access")}`,
      `As one of our best customers, you get first pick. {{ event.name }} opens to everyone on ${EVENT_DAY}, but you can shop it now.
${productsText}`,
    ),
    sms: sms(`early access to {{ event.name }} is open for you now, before everyone else. https://{{ shop.domain }}`),
  },
  price_sensitive: {
    email: email(
      `{% if discount %}{{ discount.percent }}% off: {% endif %}{{ event.name }} is on at {{ shop.name }}`,
      `<p>{{ event.name }} is here.{% if discount %} Take {{ discount.percent }}% off with the code <strong>{{ discount.code }}</strong>.{% endif %}</p>
{% if deadline %}<p><strong>Ends ${DEADLINE}.</strong></p>{% endif %}
${button("Shop the sale")}`,
      `{{ event.name }} is here.{% if discount %} Take {{ discount.percent }}% off with the code {{ discount.code }}.{% endif %}
{% if deadline %}
Ends ${DEADLINE}.{% endif %}`,
    ),
    sms: sms(
      `{{ event.name }} is on!{% if discount %} {{ discount.percent }}% off with code {{ discount.code }}.{% endif %}{% if deadline %} Ends {{ deadline | date: "%b %-e, %-l:%M %P" }}.{% endif %} https://{{ shop.domain }}`,
    ),
  },
  lapsed: {
    email: email(
      `{% if delivery %}Order by {{ delivery.orderBy | date: "%B %-e" }}${EXPRESS} for delivery by {{ delivery.occasion }}{% else %}We have missed you at {{ shop.name }}{% endif %}`,
      `<p>It has been a while, and we would love to see you again.</p>
{% if delivery %}<p>Order by <strong>${ORDER_BY}</strong>${EXPRESS} and your order is guaranteed to arrive in time for {{ delivery.occasion }}.</p>{% else %}<p>{{ event.name }} is on: take a look at what is new.</p>{% endif %}
${button("Visit the shop")}`,
      `It has been a while, and we would love to see you again.

{% if delivery %}Order by ${ORDER_BY}${EXPRESS} and your order is guaranteed to arrive in time for {{ delivery.occasion }}.{% else %}{{ event.name }} is on: take a look at what is new.{% endif %}`,
    ),
    sms: sms(
      `{% if delivery %}order by {{ delivery.orderBy | date: "%b %-e" }}${EXPRESS} for guaranteed delivery by {{ delivery.occasion }}.{% else %}{{ event.name }} is on: see what is new.{% endif %} https://{{ shop.domain }}`,
    ),
  },
  recent: {
    email: email(
      `{{ event.name }}: picked for you`,
      `<p>Thank you for your recent order. {{ event.name }} is on, and these are in stock and ready to ship:</p>
${productsHtml}${button("See more")}`,
      `Thank you for your recent order. {{ event.name }} is on, and these are in stock and ready to ship:
${productsText}`,
    ),
    sms: sms(
      `thanks for your order!{% if products.size > 0 %} {{ event.name }} pick: {{ products.first.title }} {{ products.first.url }}{% else %} {{ event.name }} is on: https://{{ shop.domain }}{% endif %}`,
    ),
  },
  regular: {
    email: email(
      `{{ event.name }} at {{ shop.name }}`,
      `<p>${RUNS}.${OFFER_HTML} Take a look at what we have lined up.</p>
${button("Shop now")}`,
      `${RUNS}.${OFFER_TEXT} Take a look at what we have lined up.`,
    ),
    sms: sms(`${RUNS_SMS}. https://{{ shop.domain }}`),
  },
  prospect: {
    email: email(
      `{{ event.name }} at {{ shop.name }}`,
      `<p>Thanks for signing up. ${RUNS}, a good moment to find something you will love.${OFFER_HTML}</p>
${button("Shop now")}`,
      `Thanks for signing up. ${RUNS}, a good moment to find something you will love.${OFFER_TEXT}`,
    ),
    sms: sms(`${RUNS_SMS}. https://{{ shop.domain }}`),
  },
});

/** The price-sensitive playbook's "last hours" reminder, sent shortly before the deadline. */
export const LAST_HOURS_TEMPLATES: Readonly<{ email: EmailTemplate; sms: SmsTemplate }> = Object.freeze({
  email: email(
    `Last hours: {{ event.name }}{% if discount %}, {{ discount.percent }}% off{% endif %}`,
    `<p>{{ event.name }} is almost over{% if deadline %}: it ends ${DEADLINE}{% endif %}.{% if discount %} Your code <strong>{{ discount.code }}</strong> still takes {{ discount.percent }}% off.{% endif %}</p>
${button("Shop before it ends")}`,
    `{{ event.name }} is almost over{% if deadline %}: it ends ${DEADLINE}{% endif %}.{% if discount %} Your code {{ discount.code }} still takes {{ discount.percent }}% off.{% endif %}`,
  ),
  sms: sms(
    `last hours of {{ event.name }}!{% if discount %} Code {{ discount.code }} takes {{ discount.percent }}% off{% if deadline %} until {{ deadline | date: "%-l:%M %P" }}{% endif %}.{% endif %} https://{{ shop.domain }}`,
  ),
});
