import type { ChannelSettings } from "./settings";
import { createSmtpChannel } from "./smtp.server";
import type { Channel, ChannelOptions } from "./types";
import { createTwilioChannel } from "./twilio.server";
import { createWebhookChannel } from "./webhook.server";

/** The channel for validated settings (parse them with `ChannelSettings` first). */
export function createChannel(settings: ChannelSettings, options: ChannelOptions): Channel {
  switch (settings.kind) {
    case "smtp":
      return createSmtpChannel(settings, options);
    case "twilio":
      return createTwilioChannel(settings, options);
    case "webhook":
      return createWebhookChannel(settings, options);
    default: {
      const _exhaustive: never = settings;
      throw new Error("unknown channel kind");
    }
  }
}
