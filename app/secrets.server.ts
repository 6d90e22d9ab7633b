import { hkdfSync } from "node:crypto";
import { createSecretBox, decodeKey, type SecretBox } from "./messaging/channels/secret-box.server";
import { getEnv } from "./env.server";

// The process's keys for secrets at rest and for signed links. Production requires
// ENCRYPTION_KEY (env.server.ts); elsewhere keys derive from the app secret, labelled by purpose,
// so the demo and tests need no setup and one key never serves two purposes.

const derive = (secret: string, purpose: string) =>
  Buffer.from(hkdfSync("sha256", secret, "holiday-segments", purpose, 32));

let box: SecretBox | undefined;

/** Seals channel settings (SMTP passwords, Twilio tokens, webhook signing secrets). */
export function getSecretBox(): SecretBox {
  const env = getEnv();
  box ??= createSecretBox(
    env.ENCRYPTION_KEY ? decodeKey(env.ENCRYPTION_KEY) : derive(env.SHOPIFY_API_SECRET, "channel-secrets"),
  );
  return box;
}

/** Signs unsubscribe links. */
export function getUnsubscribeSecret(): Buffer {
  const env = getEnv();
  return env.UNSUBSCRIBE_SECRET
    ? Buffer.from(env.UNSUBSCRIBE_SECRET, "utf8")
    : derive(env.SHOPIFY_API_SECRET, "unsubscribe-links");
}

let tracking: Buffer | undefined;

/** Signs the open pixels and tracked links of sent messages (derived once: every pixel and click reads it). */
export function getTrackingSecret(): Buffer {
  const env = getEnv();
  tracking ??= derive(env.UNSUBSCRIBE_SECRET ?? env.SHOPIFY_API_SECRET, "tracking-links");
  return tracking;
}

/** Signs the double opt-in confirmation links of storefront signups. */
export function getConfirmationSecret(): Buffer {
  const env = getEnv();
  return derive(env.UNSUBSCRIBE_SECRET ?? env.SHOPIFY_API_SECRET, "signup-confirmations");
}
