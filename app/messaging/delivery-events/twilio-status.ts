import { z } from "zod";
import type { SuppressionReason } from "../rules/channels";
import { twilioErrorSuppression } from "../channels/classify";
import { twilioErrorReason } from "../channels/failure-reason";

// Twilio's delivery reports. Each message is sent with the StatusCallback
//
//   ${SHOPIFY_APP_URL}/channels/twilio/status?shop=<myshopify domain>&message=<outbox id>
//
// The shop names whose auth token verifies X-Twilio-Signature (the URL, query included, is part
// of what Twilio signs, so neither parameter can be changed); the outbox id finds the message by
// primary key, even when the report arrives before the dispatcher has stored Twilio's MessageSid.
// Pure: the URL, the form's schema and what a report means.

export const TWILIO_STATUS_PATH = "/channels/twilio/status";

export function twilioStatusCallbackUrl(appUrl: string, shop: string, messageId: string): string {
  const query = new URLSearchParams({ shop, message: messageId });
  return `${appUrl.replace(/\/+$/, "")}${TWILIO_STATUS_PATH}?${query.toString()}`;
}

/** The fields of a status callback we read; Twilio sends more (To, From, ApiVersion …). */
export const TwilioStatusReport = z.object({
  MessageSid: z.string().regex(/^[A-Z]{2}[0-9a-fA-F]{32}$/),
  MessageStatus: z.string().min(1).max(40),
  ErrorCode: z
    .string()
    .regex(/^\d{1,6}$/)
    .transform(Number)
    .optional(),
});
export type TwilioStatusReport = z.infer<typeof TwilioStatusReport>;

const FAILED = new Set(["undelivered", "failed"]);

/** The suppression a report calls for: only a failed delivery with a code that names the number. */
export function twilioStatusSuppression(report: TwilioStatusReport): SuppressionReason | null {
  if (!FAILED.has(report.MessageStatus)) return null;
  return twilioErrorSuppression(report.ErrorCode) ?? null;
}

/** What the results count of a report: Twilio's final statuses only. */
export function twilioStatusKind(report: TwilioStatusReport): "delivered" | "undelivered" | null {
  if (report.MessageStatus === "delivered") return "delivered";
  return FAILED.has(report.MessageStatus) ? "undelivered" : null;
}

/** What the message log keeps of a failed delivery's report: "undelivered: Twilio 30005 (unknown number)". */
export function twilioStatusNote(report: TwilioStatusReport): string {
  const status = FAILED.has(report.MessageStatus) ? report.MessageStatus : "reported";
  return report.ErrorCode === undefined ? status : `${status}: ${twilioErrorReason(report.ErrorCode)}`;
}
