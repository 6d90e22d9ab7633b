import { getEnv, type Env } from "../../env.server";
import { TWILIO_API_URL, twilioBaseUrlProblem, blockedMessage, type NetworkPolicy } from "./destination";
import { BlockedDestinationError, resolveChecked, systemResolve, type ResolveAll } from "./network.server";
import type { ChannelSettings } from "./settings";

/**
 * The channels' network policy from the environment: private and loopback addresses only when the
 * local emulator's sinks are in use (SHOPIFY_EMULATOR_URL, which env.server.ts refuses in
 * production), Twilio's own API only in production.
 */
export function channelNetworkPolicy(
  env: Pick<Env, "SHOPIFY_EMULATOR_URL" | "NODE_ENV"> = getEnv(),
): NetworkPolicy {
  return { allowPrivate: Boolean(env.SHOPIFY_EMULATOR_URL), twilioApiOnly: env.NODE_ENV === "production" };
}

export interface DestinationProblem {
  field: string;
  message: string;
}

const SAVE_LOOKUP_MS = 3_000;

/**
 * Where settings would send what the policy refuses, checked when they are saved: an IP address or
 * a host that resolves to one the app never connects to, or (production) a Twilio base URL other
 * than Twilio's. A host that does not resolve (yet) is not refused here: "Test connection" says so.
 * The connection itself is checked again at test and send time (network.server.ts).
 */
export async function destinationProblem(
  settings: ChannelSettings,
  policy: NetworkPolicy,
  resolve: ResolveAll = systemResolve,
): Promise<DestinationProblem | undefined> {
  const hostProblem = async (host: string, field: string): Promise<DestinationProblem | undefined> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const slow = new Promise<undefined>((done) => {
      timer = setTimeout(() => done(undefined), SAVE_LOOKUP_MS);
    });
    try {
      await Promise.race([resolveChecked(host, policy, resolve), slow]);
      return undefined;
    } catch (error) {
      if (error instanceof BlockedDestinationError) {
        const message = blockedMessage(error.kind);
        return { field, message: message.charAt(0).toUpperCase() + message.slice(1) };
      }
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  };
  switch (settings.kind) {
    case "smtp":
      return hostProblem(settings.host, "host");
    case "twilio": {
      if (twilioBaseUrlProblem(settings.baseUrl, policy))
        return { field: "baseUrl", message: `Must be ${TWILIO_API_URL}` };
      return hostProblem(new URL(settings.baseUrl).hostname, "baseUrl");
    }
    case "webhook":
      return hostProblem(new URL(settings.url).hostname, "url");
    default: {
      const _exhaustive: never = settings;
      return undefined;
    }
  }
}
