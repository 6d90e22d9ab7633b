import { z } from "zod";
import type { SuppressionReason } from "../rules/channels";
import { smtpCodesReason } from "../channels/failure-reason";
import { isValidIdempotencyKey } from "../channels/types";

// Bounces and complaints that an ESP learns of after accepting a message, posted to
//
//   POST ${SHOPIFY_APP_URL}/channels/email/events?shop=<myshopify domain>
//   X-Holiday-Timestamp: <unix seconds>
//   X-Holiday-Signature: hex(HMAC-SHA256(the email channel's events secret, `${timestamp}.${raw body}`))
//   {"type": "delivered" | "bounce" | "complaint", "messageId": "<X-Idempotency-Key or Message-ID of our mail>",
//    "permanent": true, "detail": "550 5.1.1 user unknown"}
//
// the signing scheme of the outbound webhook channel (channels/webhook-signature.ts), five minutes
// of tolerance. ESPs each post their own format: a small relay (or the ESP's own webhook
// templating) turns theirs into this. Pure: the schema and what an event means.

export const EMAIL_EVENTS_PATH = "/channels/email/events";

export const EmailEvent = z.object({
  type: z.enum(["delivered", "bounce", "complaint"]),
  /** the mail's `X-Idempotency-Key`, or its `Message-ID` (`<key@domain>`) */
  messageId: z.string().trim().min(1).max(400),
  /** bounces only: false for a soft (temporary) bounce, which is acknowledged and changes nothing */
  permanent: z.boolean().optional(),
  /** the ESP's words: only the SMTP codes in them are kept (emailEventNote) */
  detail: z.string().max(2000).optional(),
});
export type EmailEvent = z.infer<typeof EmailEvent>;

/** The outbox id an event names: the key itself, or the left part of the Message-ID we sent. */
export function outboxIdOf(messageId: string): string | undefined {
  const inMessageId = /^<([^<>@\s]+)@[^<>@\s]+>$/.exec(messageId.trim())?.[1];
  const id = inMessageId ?? messageId.trim();
  return isValidIdempotencyKey(id) ? id : undefined;
}

export function emailEventSuppression(event: EmailEvent): SuppressionReason | null {
  if (event.type === "delivered") return null;
  if (event.type === "complaint") return "complained";
  return event.permanent === false ? null : "bounced";
}

/** What the results count of a report: a soft bounce is not an outcome yet. */
export function emailEventKind(event: EmailEvent): "delivered" | "bounced" | "complained" | null {
  switch (event.type) {
    case "delivered":
      return "delivered";
    case "complaint":
      return "complained";
    case "bounce":
      return event.permanent === false ? null : "bounced";
    default: {
      const unreachable: never = event.type;
      throw new Error(`unhandled email event ${String(unreachable)}`);
    }
  }
}

/**
 * What the message log keeps of an event: its type and the SMTP codes the ESP's detail carries,
 * classified ("bounce reported by the email provider: SMTP 550 5.1.1 (mailbox unavailable)"),
 * never the ESP's words.
 */
export function emailEventNote(event: EmailEvent): string {
  const codes = event.detail === undefined ? undefined : smtpCodesReason(event.detail);
  return `${event.type} reported by the email provider${codes ? `: ${codes}` : ""}`;
}
