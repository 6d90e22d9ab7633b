import type { ChannelKind } from "../channels/settings";

// The three delivery channels a shop configures in Settings, the provider kind behind each, and
// the form fields of each kind. Pure: the Settings card and the server share it.

export const CHANNELS = ["email", "sms", "webhook"] as const;
export type ChannelName = (typeof CHANNELS)[number];

export const KIND_OF: { readonly [C in ChannelName]: ChannelKind } = {
  email: "smtp",
  sms: "twilio",
  webhook: "webhook",
};

export const CHANNEL_TITLES: { readonly [C in ChannelName]: string } = {
  email: "Email (SMTP)",
  sms: "SMS (Twilio)",
  webhook: "Outbound webhook",
};

export function isChannelName(value: unknown): value is ChannelName {
  return CHANNELS.some((channel) => channel === value);
}

export interface FieldDef {
  name: string;
  label: string;
  type: "text" | "number" | "email" | "url" | "password" | "select";
  /** secrets are never shown back; left blank, the stored one stays */
  secret?: boolean;
  /** a URL shown back without credentials or query (redact.ts `displayUrl`) */
  url?: boolean;
  options?: ReadonlyArray<{ label: string; value: string }>;
  help?: string;
  /** number fields: a value to show in the message that asks for digits */
  example?: string;
}

export const FIELDS: { readonly [K in ChannelKind]: readonly FieldDef[] } = {
  smtp: [
    { name: "host", label: "SMTP host", type: "text", help: "e.g. smtp.postmarkapp.com" },
    { name: "port", label: "Port", type: "number", example: "587" },
    {
      name: "security",
      label: "Security",
      type: "select",
      options: [
        { label: "STARTTLS (usually port 587)", value: "starttls" },
        { label: "TLS from the start (usually port 465)", value: "tls" },
        { label: "None (local relays only)", value: "none" },
      ],
    },
    { name: "user", label: "User name", type: "text" },
    { name: "password", label: "Password", type: "password", secret: true },
    { name: "fromAddress", label: "From address", type: "email" },
    { name: "fromName", label: "From name", type: "text" },
    {
      name: "poolSize",
      label: "Connections",
      type: "number",
      example: "5",
      help: "SMTP connections kept open while sending.",
    },
    {
      name: "eventsSecret",
      label: "Bounce and complaint signing secret",
      type: "password",
      secret: true,
      help: "Optional, 16+ characters: the secret that signs the bounce and complaint reports posted to this app's /channels/email/events?shop=<your myshopify domain>.",
    },
  ],
  twilio: [
    { name: "accountSid", label: "Account SID", type: "text" },
    { name: "authToken", label: "Auth token", type: "password", secret: true },
    { name: "fromNumber", label: "From number", type: "text", help: "E.164, e.g. +15551234567" },
    {
      name: "messagingServiceSid",
      label: "Messaging service SID",
      type: "text",
      help: "Instead of a from number.",
    },
    {
      name: "baseUrl",
      label: "API base URL",
      type: "url",
      url: true,
      help: "Leave https://api.twilio.com: in production no other address is accepted (tests and the demo point it at a local stand-in).",
    },
  ],
  webhook: [
    { name: "url", label: "Endpoint URL", type: "url", url: true },
    {
      name: "signingSecret",
      label: "Signing secret",
      type: "password",
      secret: true,
      help: "At least 16 characters; each request is signed with it.",
    },
  ],
};

export const RATE_FIELD = "ratePerSecond";
export const RATE_LABEL = "Messages per second";
export const RATE_MIN = 1;
export const RATE_MAX = 1000;
export const DEFAULT_RATE = 50;

/** The label of a field of a kind ("Auth token"), or the field name when unknown. */
export function fieldLabel(kind: ChannelKind, field: string): string {
  if (field === RATE_FIELD) return RATE_LABEL;
  return FIELDS[kind].find((f) => f.name === field)?.label ?? field;
}

/**
 * A failed test as stored in ChannelConfig.testError: the field's label first, so the badge
 * names what to fix and the form can put the message next to that field again after a reload.
 */
export function testErrorText(kind: ChannelKind, field: string | undefined, message: string): string {
  return field ? `${fieldLabel(kind, field)}: ${message}` : message;
}

/** The field a stored testError names, if any. */
export function fieldOfTestError(kind: ChannelKind, testError: string): string | undefined {
  return FIELDS[kind].find((f) => testError.startsWith(`${f.label}: `))?.name;
}
