import { z } from "zod";

// Texts customers send to the shop's Twilio number. The merchant sets the number's (or Messaging
// Service's) "A message comes in" webhook to
//
//   POST ${SHOPIFY_APP_URL}/channels/twilio/inbound?shop=<myshopify domain>
//
// signed by Twilio with the shop's auth token like the status callbacks (twilio-status.ts). The
// answer is TwiML: empty, or one reply message. Pure: the URL, the form's schema, the phone
// number's form, the HELP text and the TwiML.

export const TWILIO_INBOUND_PATH = "/channels/twilio/inbound";

export function twilioInboundUrl(appUrl: string, shop: string): string {
  return `${appUrl.replace(/\/+$/, "")}${TWILIO_INBOUND_PATH}?${new URLSearchParams({ shop }).toString()}`;
}

/** The fields of an incoming message we read; Twilio sends more (MessageSid, NumMedia, FromCity …). */
export const TwilioInboundMessage = z.object({
  From: z.string().min(1).max(64),
  To: z.string().min(1).max(64),
  Body: z.string().default(""),
  /** STOP, START or HELP: Twilio's reading, on numbers of a Messaging Service with Advanced Opt-Out */
  OptOutType: z.string().max(40).optional(),
});
export type TwilioInboundMessage = z.infer<typeof TwilioInboundMessage>;

const E164 = /^\+[1-9]\d{6,14}$/;

/** An E.164 number from the ways people and systems write one ("+1 (212) 555-0100", "0044…"). */
export function normalizePhone(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined;
  const compact = raw.trim().replace(/[\s().\-\u00a0]/g, "");
  const international = compact.startsWith("00") ? `+${compact.slice(2)}` : compact;
  return E164.test(international) ? international : undefined;
}

/** "up to 1 msg/day" from the shop's SMS frequency cap (hours between two texts; null = none). */
export function smsFrequencyText(capHours: number | null): string {
  if (capHours === null || !(capHours > 0)) return "msg frequency varies";
  const perDay = 24 / capHours;
  if (Number.isInteger(perDay)) return `up to ${perDay} msg${perDay === 1 ? "" : "s"}/day`;
  const hours = Number.isInteger(capHours) ? String(capHours) : capHours.toFixed(2).replace(/\.?0+$/, "");
  return `at most 1 msg per ${hours} h`;
}

const MAX_BRAND = 60;

function brandOf(shopName: string): string {
  let plain = "";
  for (const ch of shopName) plain += ch.charCodeAt(0) < 32 || ch.charCodeAt(0) === 127 ? " " : ch;
  const name = plain.replace(/\s+/g, " ").trim();
  return [...name].length > MAX_BRAND ? `${[...name].slice(0, MAX_BRAND - 1).join("")}…` : name;
}

/** CTIA's HELP answer: who is texting, what and how often, and how to stop. */
export function helpReply(input: { shopName: string; smsCapHours: number | null }): string {
  return (
    `${brandOf(input.shopName)}: Holiday offers, ${smsFrequencyText(input.smsCapHours)}. ` +
    "Msg & data rates may apply. Reply STOP to opt out."
  );
}

// Characters XML 1.0 cannot carry at all (most control characters, lone surrogates, U+FFFE/FFFF).
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** A TwiML document replying with these messages; none: `<Response/>`, Twilio sends nothing. */
export function twiml(messages: readonly string[] = []): string {
  const replies = messages.map((m) => `<Message>${escapeXml(m)}</Message>`).join("");
  return `<?xml version="1.0" encoding="UTF-8"?>${replies ? `<Response>${replies}</Response>` : "<Response/>"}`;
}
