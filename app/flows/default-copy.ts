import { button, emailHtml as html, emailText as text, MUTED, productsHtml, productsText, SHOP_URL } from "../messaging/templates/email-layout";
import type { EmailTemplate, SmsTemplate } from "../messaging/templates/message-template";

// The built-in flows' starting copy, one template per step and channel, which the merchant may
// replace on the Flows page. Each says only what the flow knows to be true when it sends: the cart
// lines still in stock (sold-out ones were dropped), the checkout's own recovery link (else the
// shop's address), a discount only when the message carries one (the flow gives it to
// price-sensitive customers only), a delivery promise only with a cut-off still ahead, and no
// discount at all in the win-back or VIP messages. SMS stay in GSM-7 (plain ASCII), name the shop
// and say how to stop. Pure data.

export const FLOW_TEMPLATE_KEYS = [
  "abandoned_checkout.first",
  "abandoned_checkout.reminder",
  "abandoned_checkout.last",
  "welcome.first",
  "welcome.best_sellers",
  "win_back.delivery_promise",
  "win_back.reminder",
  "vip_recognition.thank_you",
  "post_purchase.cross_sell",
] as const;
export type FlowTemplateKey = (typeof FLOW_TEMPLATE_KEYS)[number];

export interface FlowTemplatePair {
  email?: EmailTemplate;
  sms?: SmsTemplate;
}


/** The checkout's recovery link, else the shop (a checkout without one, or a template shown without a checkout). */
const CART_URL = `{% if checkout %}{% if checkout.url %}{{ checkout.url }}{% else %}${SHOP_URL}{% endif %}{% else %}${SHOP_URL}{% endif %}`;
/** The button's words: what it does with a recovery link, else "Visit the shop" (where it then goes). */
const cartLabel = (action: string) =>
  `{% if checkout %}{% if checkout.url %}${action}{% else %}Visit the shop{% endif %}{% else %}Visit the shop{% endif %}`;

const LINE_PRICE = `{% if line.price %}{{ line.price | money }}{% if line.quantity > 1 %} each{% endif %}{% endif %}`;
const MORE_LINES = `and {{ checkout.lines.size | minus: 10 }} more`;

const cartHtml = `{% if checkout %}{% if checkout.lines.size > 0 %}
<p>In your cart:</p>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0">
{% for line in checkout.lines limit: 10 %}  <tr><td style="padding:6px 0;">{{ line.title }} &times; {{ line.quantity }}</td><td align="right" style="padding:6px 0;${MUTED}">${LINE_PRICE}</td></tr>
{% endfor %}</table>
{% if checkout.lines.size > 10 %}<p style="${MUTED}">${MORE_LINES}</p>{% endif %}
{% endif %}{% endif %}`;

const cartText = `{% if checkout %}{% if checkout.lines.size > 0 %}

In your cart:{% for line in checkout.lines limit: 10 %}
- {{ line.title }} x {{ line.quantity }}{% if line.price %}, ${LINE_PRICE}{% endif %}{% endfor %}{% if checkout.lines.size > 10 %}
${MORE_LINES}{% endif %}{% endif %}{% endif %}`;


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

const OFFER_HTML = `{% if discount %}<p>Use the code <strong>{{ discount.code }}</strong> at checkout for {{ discount.percent }}% off.</p>{% endif %}`;
const OFFER_TEXT = `{% if discount %}

Use the code {{ discount.code }} at checkout for {{ discount.percent }}% off.{% endif %}`;
const OFFER_SMS = `{% if discount %} Code {{ discount.code }} takes {{ discount.percent }}% off.{% endif %}`;

const ORDER_BY = `{{ delivery.orderBy | date: "%A, %B %-e at %-l:%M %P" }}`;
// the express cut-off is promised only once the standard one has passed
const EXPRESS = `{% if delivery.shipping == "express" %} with express shipping{% endif %}`;

function cartEmail(subject: string, opening: string, action: string): EmailTemplate {
  return email(
    subject,
    `<p>${opening}</p>
${OFFER_HTML}${cartHtml}${button(CART_URL, cartLabel(action))}`,
    `${opening}${OFFER_TEXT}${cartText}{% if checkout %}{% if checkout.url %}

${action}: {{ checkout.url }}{% endif %}{% endif %}`,
  );
}

export const DEFAULT_FLOW_TEMPLATES: Readonly<Record<FlowTemplateKey, FlowTemplatePair>> = Object.freeze({
  "abandoned_checkout.first": {
    email: cartEmail(
      `You left something in your cart at {{ shop.name }}`,
      `You started a checkout at {{ shop.name }} and did not finish it. Your cart is waiting whenever you are ready.`,
      `Return to your cart`,
    ),
    sms: sms(`you left items in your cart. Finish your order: ${CART_URL}`),
  },
  "abandoned_checkout.reminder": {
    email: cartEmail(
      `{% if discount %}{{ discount.percent }}% off your cart at {{ shop.name }}{% else %}Your cart at {{ shop.name }} is still waiting{% endif %}`,
      `Your cart at {{ shop.name }} is still waiting for you.`,
      `Complete your order`,
    ),
    sms: sms(`your cart is still waiting.${OFFER_SMS} ${CART_URL}`),
  },
  "abandoned_checkout.last": {
    email: cartEmail(
      `Last reminder about your cart at {{ shop.name }}`,
      `This is our last reminder about the items you left in your cart at {{ shop.name }}.`,
      `Complete your order`,
    ),
    sms: sms(`last reminder about your cart.${OFFER_SMS} ${CART_URL}`),
  },
  "welcome.first": {
    email: email(
      `Welcome to {{ shop.name }}`,
      `<p>Thank you for subscribing to {{ shop.name }}. You will hear from us about new arrivals and sales.</p>
${button(SHOP_URL, "Visit the shop")}`,
      `Thank you for subscribing to {{ shop.name }}. You will hear from us about new arrivals and sales.`,
    ),
    // The first text after an SMS opt-in: who we are, how often, HELP and STOP.
    sms: {
      channel: "sms",
      body: `{{ shop.name }}: thanks for signing up for texts! Msg frequency varies, msg & data rates may apply. Reply HELP for help, STOP to opt out`,
    },
  },
  "welcome.best_sellers": {
    email: email(
      `Picked for you at {{ shop.name }}`,
      `<p>{% if products.size > 0 %}A few things from {{ shop.name }} we think you will like, all in stock now:{% else %}Take a look around {{ shop.name }}.{% endif %}</p>
${productsHtml}${button(SHOP_URL, "See more")}`,
      `{% if products.size > 0 %}A few things from {{ shop.name }} we think you will like, all in stock now:{% else %}Take a look around {{ shop.name }}.{% endif %}${productsText}`,
    ),
    sms: sms(
      `{% if products.size > 0 %}picked for you, in stock now: {{ products.first.title }} {{ products.first.url }}{% else %}take a look around: ${SHOP_URL}{% endif %}`,
    ),
  },
  "win_back.delivery_promise": {
    email: email(
      `{% if delivery %}Order by {{ delivery.orderBy | date: "%B %-e" }}${EXPRESS} for delivery by {{ delivery.occasion }}{% else %}We have missed you at {{ shop.name }}{% endif %}`,
      `<p>It has been a while since your last order, and we would love to see you again.</p>
{% if delivery %}<p>Order by <strong>${ORDER_BY}</strong>${EXPRESS} and your order is guaranteed to arrive in time for {{ delivery.occasion }}.</p>{% else %}<p>Take a look around the shop.</p>{% endif %}
${button(SHOP_URL, "Visit the shop")}`,
      `It has been a while since your last order, and we would love to see you again.

{% if delivery %}Order by ${ORDER_BY}${EXPRESS} and your order is guaranteed to arrive in time for {{ delivery.occasion }}.{% else %}Take a look around the shop.{% endif %}`,
    ),
  },
  "win_back.reminder": {
    email: email(
      `{% if delivery %}Still time to order for {{ delivery.occasion }} at {{ shop.name }}{% else %}Come back to {{ shop.name }}{% endif %}`,
      `{% if delivery %}<p>There is still time: order by <strong>${ORDER_BY}</strong>${EXPRESS} and your order is guaranteed to arrive in time for {{ delivery.occasion }}.</p>{% else %}<p>We would love to see you back at {{ shop.name }}.</p>{% endif %}
${button(SHOP_URL, "Visit the shop")}`,
      `{% if delivery %}There is still time: order by ${ORDER_BY}${EXPRESS} and your order is guaranteed to arrive in time for {{ delivery.occasion }}.{% else %}We would love to see you back at {{ shop.name }}.{% endif %}`,
    ),
  },
  "vip_recognition.thank_you": {
    email: email(
      `Thank you from {{ shop.name }}`,
      `<p>You are one of our best customers, and we wanted to say thank you. We are glad to have you with us.</p>
${button(SHOP_URL, "Visit the shop")}`,
      `You are one of our best customers, and we wanted to say thank you. We are glad to have you with us.`,
    ),
    sms: sms(`thank you for being one of our best customers. We are glad to have you! ${SHOP_URL}`),
  },
  "post_purchase.cross_sell": {
    email: email(
      `More from {{ shop.name }}, picked for you`,
      `<p>Thank you for your recent order.{% if products.size > 0 %} Here are a few more things from {{ shop.name }}, in stock now:{% endif %}</p>
${productsHtml}${button(SHOP_URL, "See more")}`,
      `Thank you for your recent order.{% if products.size > 0 %} Here are a few more things from {{ shop.name }}, in stock now:{% endif %}${productsText}`,
    ),
  },
});
