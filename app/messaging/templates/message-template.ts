import { z } from "zod";
import { TEMPLATE_LIMITS } from "./engine";
import type { SmsCount } from "./sms-segments";

// A merchant-editable message template and what rendering one gives back. Pure.

const source = (name: string, max: number) =>
  z
    .string({ required_error: `${name} is required`, invalid_type_error: `${name} must be text` })
    .min(1, `${name} is required`)
    .max(max, `${name} must be at most ${max} characters`);

export const EmailTemplate = z
  .object({
    channel: z.literal("email"),
    subject: source("Subject", 1_000),
    html: source("HTML body", TEMPLATE_LIMITS.parse),
    text: source("Text body", TEMPLATE_LIMITS.parse),
  })
  .strict();
export type EmailTemplate = z.infer<typeof EmailTemplate>;

export const SmsTemplate = z.object({ channel: z.literal("sms"), body: source("SMS body", 2_000) }).strict();
export type SmsTemplate = z.infer<typeof SmsTemplate>;

export const MessageTemplate = z.discriminatedUnion("channel", [EmailTemplate, SmsTemplate]);
export type MessageTemplate = z.infer<typeof MessageTemplate>;
export type Channel = MessageTemplate["channel"];

export type TemplatePart = "subject" | "html" | "text" | "sms";

/** The form field of a template part: an SMS's only part is its body. */
export const TEMPLATE_FIELD: Readonly<Record<TemplatePart, string>> = {
  subject: "subject",
  html: "html",
  text: "text",
  sms: "body",
};
export const TEMPLATE_PART_LABEL: Readonly<Record<TemplatePart, string>> = {
  subject: "Subject",
  html: "HTML body",
  text: "Text body",
  sms: "SMS body",
};

/** A problem in one part of a template, 1-based line and column in that part's source. */
export interface TemplateError {
  part: TemplatePart;
  line: number;
  column: number;
  message: string;
}

export type RenderedMessage =
  | { channel: "email"; subject: string; html: string; text: string }
  | { channel: "sms"; body: string; sms: SmsCount };

export type RenderResult = { ok: true; message: RenderedMessage } | { ok: false; errors: TemplateError[] };
