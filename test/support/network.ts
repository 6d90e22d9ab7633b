import { channelNetworkPolicy } from "../../app/messaging/channels/network-policy.server";

/**
 * The channels' network policy as the demo has it (the emulator in use): the emulator's sinks
 * listen on 127.0.0.1, which the app reaches only then.
 */
export const EMULATOR_NETWORK = channelNetworkPolicy({
  SHOPIFY_EMULATOR_URL: "http://127.0.0.1",
  NODE_ENV: "test",
});

/** As in production: public addresses only, Twilio's own API only. */
export const PRODUCTION_NETWORK = channelNetworkPolicy({
  SHOPIFY_EMULATOR_URL: undefined,
  NODE_ENV: "production",
});
