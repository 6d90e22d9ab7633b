// The layout every default marketing email shares (campaigns' and flows'): the shop's name on top,
// the greeting by first name, the body, and the footer with the unsubscribe link real mail must
// carry; the text part the same in plain words. Liquid source, pure.

export const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
export const MUTED = "color:#6d7175;";
export const SHOP_URL = "https://{{ shop.domain }}";

export const button = (href: string, label: string) =>
  `<p style="margin:24px 0;"><a href="${href}" style="background:#202223;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block;">${label}</a></p>`;

/** Up to three products with image, title and price. */
export const productsHtml = `{% if products.size > 0 %}
<table role="presentation" width="100%" cellpadding="0" cellspacing="0">
{% for product in products limit: 3 %}  <tr>
    {% if product.imageUrl %}<td width="88" style="padding:8px 12px 8px 0;"><img src="{{ product.imageUrl }}" alt="{{ product.title }}" width="80" style="display:block;border-radius:4px;"></td>{% endif %}
    <td style="padding:8px 0;"><a href="{{ product.url }}" style="color:#202223;">{{ product.title }}</a><br><span style="${MUTED}">{{ product.price | money }}</span></td>
  </tr>
{% endfor %}</table>
{% endif %}`;

export const productsText = `{% for product in products limit: 3 %}
- {{ product.title }}, {{ product.price | money }}: {{ product.url }}{% endfor %}`;

export function emailHtml(body: string): string {
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

export function emailText(body: string): string {
  return `Hi {{ customer.firstName | default: "there" }},

${body}

{{ shop.name }}: ${SHOP_URL}
Unsubscribe: {{ unsubscribeUrl }}
`;
}
