import type { ChannelSettings } from "../../app/messaging/channels/settings";
import type { OutboundMessage } from "../../app/messaging/channels/types";

/** One message each channel kind takes: an email, a text to an E.164 number, a webhook event. */
export function messageFor(settings: ChannelSettings, idempotencyKey: string, shop: string): OutboundMessage {
  const metadata = { shop, campaignId: "c1", customerId: "1" };
  switch (settings.kind) {
    case "smtp":
      return {
        idempotencyKey,
        metadata,
        to: "jane@example.com",
        content: { channel: "email", subject: "Hi", html: "<p>Hi</p>", text: "Hi" },
      };
    case "twilio":
      return { idempotencyKey, metadata, to: "+15557654321", content: { channel: "sms", body: "Hi" } };
    case "webhook":
      return { idempotencyKey, metadata, to: "1", content: { channel: "webhook", payload: { hi: true } } };
    default: {
      const _exhaustive: never = settings;
      throw new Error("unknown channel kind");
    }
  }
}
