import { isChannelName } from "../../messaging/channel-config/channels";
import { saveChannelForm, testChannel, type ChannelConfigDeps } from "../../messaging/channel-config/channel-config.server";
import { applyLocalSinks } from "../../messaging/channel-config/local-sinks.server";
import type { ChannelActionResult } from "./types";

// The Channels section's form posts: `intent` = save | test (with `channel`) | use-local-sinks.

export interface ChannelActionEnv {
  /** SHOPIFY_EMULATOR_URL: only the demo offers the local sinks */
  emulatorUrl?: string;
  log?: (message: string, fields: Record<string, string | boolean | undefined>) => void;
}

export async function channelSettingsAction(
  deps: ChannelConfigDeps,
  shop: string,
  form: FormData,
  env: ChannelActionEnv = {},
): Promise<ChannelActionResult> {
  const intent = form.get("intent");
  if (intent === "use-local-sinks") {
    if (!env.emulatorUrl)
      return { intent: "invalid", ok: false, message: "The local sinks exist only in the demo." };
    const result = await applyLocalSinks(deps, shop, env.emulatorUrl);
    env.log?.("channels set to the local sinks", { shop, ok: result.ok });
    return { intent, ...result };
  }
  const channel = form.get("channel");
  if (!isChannelName(channel)) return { intent: "invalid", ok: false, message: "Unknown channel." };
  if (intent === "save") {
    const result = await saveChannelForm(deps, shop, channel, form);
    if (result.ok) env.log?.("channel settings saved", { shop, channel, changed: result.changed });
    return { intent, ...result };
  }
  if (intent === "test") {
    const result = await testChannel(deps, shop, channel);
    env.log?.("channel tested", {
      shop,
      channel,
      ok: result.ok,
      problem: result.ok ? undefined : result.problem,
    });
    return { intent, ...result };
  }
  return { intent: "invalid", ok: false, message: "Unknown action." };
}
