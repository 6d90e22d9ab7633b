import type { Segment } from "../../segments/rules";
import {
  button as linkButton,
  emailHtml as html,
  emailText as text,
  productsHtml,
  productsText,
  SHOP_URL,
} from "../../messaging/templates/email-layout";
import type { EmailTemplate, SmsTemplate } from "../../messaging/templates/message-template";

// The starting templates a merchant edits, one per segment and channel, written to each segment's
// treatment (rules.ts SEGMENT_TREATMENT) and the playbooks: VIPs get early access and no discount,
// price-sensitive customers a code and a clear end, lapsed ones a delivery promise and cut-off
// instead of a discount, recent buyers in-stock products. Every date they state is the campaign's
// own (campaign-templates.ts): the sale's start and end, a cut-off still ahead, "in time for" the
// occasion the cut-off is for (campaigns/default-copy.test.ts checks each against the calendar). SMS stay in GSM-7 (plain ASCII), name
// the shop and say how to stop. Pure data.

const button = (label: string) => linkButton(SHOP_URL, label);

const email = (subject: string, htmlBody: string, textBody: string): EmailTemplate => ({
  channel: "email",
  subject,
  html: html(htmlBody),
  text: text(textBody),
});
const sms = (body: string): SmsTemplate => ({
  channel: "sms",
  body: `{{ shop.name }}: ${body} Reply STOP to opt out`,
});

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

export const DEFAULT_TEMPLATES: Readonly<Record<Segment, { email: EmailTemplate; sms: SmsTemplate }>> =
  Object.freeze({
    vip: {
      email: email(
        `Early access for you: {{ event.name }} at {{ shop.name }}`,
        `<p>As one of our best customers, you get first pick. {{ event.name }} opens to everyone on ${EVENT_DAY}, but you can shop it now.</p>
${productsHtml}${button("Shop early access")}`,
        `As one of our best customers, you get first pick. {{ event.name }} opens to everyone on ${EVENT_DAY}, but you can shop it now.
${productsText}`,
      ),
      sms: sms(
        `early access to {{ event.name }} is open for you now, before everyone else. https://{{ shop.domain }}`,
      ),
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
