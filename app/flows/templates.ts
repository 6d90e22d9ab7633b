// TEMPORARY stub until the flows UI branch lands its templates.ts
import { z } from "zod";
import type { EmailTemplate, SmsTemplate } from "../messaging/templates/message-template";
export const SavedFlowTemplates = z.record(z.record(z.unknown()));
export type SavedFlowTemplates = z.infer<typeof SavedFlowTemplates>;
const email: EmailTemplate = { channel: "email", subject: "Your cart at {{ shop.name }}", html: "<p>Hi {{ customer.firstName | default: \"there\" }}, <a href=\"{{ checkout.url }}\">finish your order</a></p><p><a href=\"{{ unsubscribeUrl }}\">Unsubscribe</a></p>", text: "Hi {{ customer.firstName | default: \"there\" }}, finish your order: {{ checkout.url }}\nUnsubscribe: {{ unsubscribeUrl }}" };
const sms: SmsTemplate = { channel: "sms", body: "{{ shop.name }}: your cart is waiting {{ checkout.url }} Reply STOP to opt out" };
export function flowTemplateFor(_saved: SavedFlowTemplates, _key: string, channel: "email" | "sms"): EmailTemplate | SmsTemplate {
  return channel === "email" ? email : sms;
}
