import { z } from "zod";
import { SmtpSettings, TwilioSettings, WebhookChannelSettings } from "../channels/settings";
import type { ChannelOptions } from "../channels/types";
import { CHANNELS, type ChannelName } from "./channels";
import { saveChannelSettings, testChannel, type ChannelConfigDeps } from "./channel-config.server";
import type { LocalSinksResult } from "./types";

// Demo only (SHOPIFY_EMULATOR_URL set): the local emulator runs delivery sinks (an SMTP server, a
// Twilio-compatible API, a webhook receiver) and publishes settings aimed at them at
// GET <emulator>/sinks/settings.json. "Use the local sinks" saves and tests those.

const SinkSettings = z.object({
  smtp: SmtpSettings,
  twilio: TwilioSettings,
  webhook: WebhookChannelSettings,
});

/** The sinks' settings per channel, from the emulator; throws with a short reason otherwise. */
export async function fetchLocalSinkSettings(emulatorUrl: string, fetchImpl: typeof fetch = fetch) {
  const url = new URL("/sinks/settings.json", emulatorUrl);
  const response = await fetchImpl(url, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`the emulator answered HTTP ${response.status} at ${url.pathname}`);
  const parsed = SinkSettings.safeParse(await response.json());
  if (!parsed.success) throw new Error("the emulator's sink settings are not channel settings");
  const { smtp, twilio, webhook } = parsed.data;
  return { email: smtp, sms: twilio, webhook } satisfies Record<ChannelName, unknown>;
}


/** Saves every channel's settings from the sinks (keeping each rate) and tests them. */
export async function applyLocalSinks(
  deps: ChannelConfigDeps,
  shop: string,
  emulatorUrl: string,
  options: Omit<ChannelOptions, "network"> = {},
): Promise<LocalSinksResult> {
  let settings: Awaited<ReturnType<typeof fetchLocalSinkSettings>>;
  try {
    settings = await fetchLocalSinkSettings(emulatorUrl);
  } catch (error) {
    return {
      ok: false,
      message: `The local sinks could not be read: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  for (const channel of CHANNELS) await saveChannelSettings(deps, shop, channel, settings[channel]);
  const results = await Promise.all(CHANNELS.map((channel) => testChannel(deps, shop, channel, options)));
  return { ok: true, results };
}
