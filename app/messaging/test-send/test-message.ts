import { z } from "zod";
import type { MessageMetadata, OutboundMessage } from "../channels/types";
import type { RenderedMessage } from "../templates/message-template";

// A test send: one campaign message, rendered with the segment's sample customer, to the merchant's
// own address or phone. Pure. It is marked as a test where the merchant looks first (the subject, the
// start of the SMS) and carries no working unsubscribe.

export const TEST_PREFIX = "[Test] ";

/**
 * The unsubscribe link in a test message's body. The templates must show one, but the recipient is
 * the merchant, not a subscriber: the link is in the reserved example.com domain (RFC 2606), goes
 * nowhere, and says so.
 */
export const TEST_UNSUBSCRIBE_URL = "https://example.com/unsubscribe/sample-link-in-a-test-message";

export type TestChannel = "email" | "sms";

// One mailbox, as the SMTP channel requires: "a@x, b@y" would be two recipients.
const ONE_ADDRESS = /^[^\s@,;<>"]+@[^\s@,;<>"]+$/;
const Email = z.string().max(320).email().regex(ONE_ADDRESS);
const E164 = /^\+[1-9]\d{6,14}$/;

export type TestRecipient = { ok: true; to: string } | { ok: false; message: string };

/** The merchant's address (email) or phone number (SMS, E.164; spaces, dashes, dots and brackets are dropped). */
export function parseTestRecipient(channel: TestChannel, raw: unknown): TestRecipient {
  const text = typeof raw === "string" ? raw.trim() : "";
  if (channel === "email") {
    return Email.safeParse(text).success
      ? { ok: true, to: text }
      : { ok: false, message: "Enter one email address to send the test to, e.g. you@example.com" };
  }
  const phone = text.replace(/[\s().-]/g, "");
  return E164.test(phone)
    ? { ok: true, to: phone }
    : { ok: false, message: "Enter a phone number in international E.164 form, e.g. +15551234567" };
}

/**
 * The rendered message as a test. Deliberately without List-Unsubscribe headers: they promise a
 * mailbox provider that one click takes the recipient off a list (RFC 8058), and a test recipient is
 * on none — a header with a link that does nothing would be a false promise, and a real signed link
 * would unsubscribe a customer who does not exist. A campaign's real messages carry them; the
 * body's link here is TEST_UNSUBSCRIBE_URL.
 */
export function testMessage(
  rendered: RenderedMessage,
  to: string,
  idempotencyKey: string,
  metadata: MessageMetadata,
): OutboundMessage {
  const content =
    rendered.channel === "email"
      ? {
          channel: "email" as const,
          subject: `${TEST_PREFIX}${rendered.subject}`,
          html: rendered.html,
          text: rendered.text,
        }
      : { channel: "sms" as const, body: `${TEST_PREFIX}${rendered.body}` };
  return { idempotencyKey, to, content, metadata };
}
