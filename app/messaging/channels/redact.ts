import type { ChannelKind, ChannelSettings, SECRET_FIELDS } from "./settings";

// Settings as the UI may show them back. Fields are copied one by one (never spread) so a
// secret added to an object by mistake cannot leak through; URLs lose credentials and queries,
// where tokens tend to hide.

export type SecretMarker = "set" | "not set";
type SecretField<K extends ChannelKind> = (typeof SECRET_FIELDS)[K][number];
type Redacted<K extends ChannelKind> = Omit<Extract<ChannelSettings, { kind: K }>, SecretField<K>> & {
  [F in SecretField<K>]: SecretMarker;
};
export type RedactedSettings = { [K in ChannelKind]: Redacted<K> }[ChannelKind];

const marker = (value: string | undefined): SecretMarker => (value ? "set" : "not set");

/** `https://user:pass@host/path?token=x#y` → `https://host/path?…` */
export function displayUrl(value: string): string {
  try {
    const url = new URL(value);
    return `${url.protocol}//${url.host}${url.pathname}${url.search || url.hash ? "?…" : ""}`;
  } catch {
    return "(invalid URL)";
  }
}

export function redactSettings(settings: ChannelSettings): RedactedSettings {
  switch (settings.kind) {
    case "smtp":
      return {
        kind: "smtp",
        host: settings.host,
        port: settings.port,
        security: settings.security,
        // Some relays (Postmark) take the API token as both user name and password.
        user: settings.user && settings.user === settings.password ? "(same as the password)" : settings.user,
        password: marker(settings.password),
        fromAddress: settings.fromAddress,
        fromName: settings.fromName,
        poolSize: settings.poolSize,
        eventsSecret: marker(settings.eventsSecret),
      };
    case "twilio":
      return {
        kind: "twilio",
        accountSid: settings.accountSid,
        authToken: marker(settings.authToken),
        fromNumber: settings.fromNumber,
        messagingServiceSid: settings.messagingServiceSid,
        baseUrl: displayUrl(settings.baseUrl),
      };
    case "webhook":
      return {
        kind: "webhook",
        url: displayUrl(settings.url),
        signingSecret: marker(settings.signingSecret),
      };
    default: {
      // never echo the object: it holds secrets
      const _exhaustive: never = settings;
      throw new Error("unknown channel kind");
    }
  }
}
