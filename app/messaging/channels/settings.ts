import { z } from "zod";

// What a merchant enters in Settings for each channel. Secrets (`SECRET_FIELDS`) are stored
// encrypted (secret-box.server.ts) and only ever shown back as "set" / "not set" (redact.ts).

const httpUrl = z
  .string()
  .trim()
  .url()
  .refine((value) => /^https?:\/\//i.test(value), "must start with http:// or https://");

export const SmtpSettings = z.object({
  kind: z.literal("smtp"),
  host: z.string().trim().min(1).max(253),
  // Numbers, not text: a form reads what was typed as digits first (channel-config/form.ts), and
  // stored settings are JSON.
  port: z.number().int().min(1).max(65_535).default(587),
  /** `tls`: TLS from the first byte (465); `starttls`: upgrade required (587); `none`: local relays only */
  security: z.enum(["tls", "starttls", "none"]).default("starttls"),
  user: z.string().max(320).optional(),
  password: z.string().max(1024).optional(),
  fromAddress: z.string().trim().email(),
  fromName: z.string().trim().max(120).optional(),
  poolSize: z.number().int().min(1).max(50).default(5),
  /** verifies bounce and complaint reports posted to /channels/email/events (delivery-events/email-events.ts) */
  eventsSecret: z.string().min(16, "at least 16 characters").max(256).optional(),
});
export type SmtpSettings = z.infer<typeof SmtpSettings>;

const TwilioFields = z.object({
  kind: z.literal("twilio"),
  accountSid: z
    .string()
    .trim()
    .regex(/^AC[0-9a-fA-F]{32}$/, "starts with AC and 32 hex digits"),
  authToken: z.string().min(1).max(256),
  fromNumber: z
    .string()
    .trim()
    .regex(/^\+[1-9]\d{6,14}$/, "an E.164 number such as +15551234567")
    .optional(),
  messagingServiceSid: z
    .string()
    .trim()
    .regex(/^MG[0-9a-fA-F]{32}$/, "starts with MG and 32 hex digits")
    .optional(),
  baseUrl: httpUrl.default("https://api.twilio.com"),
});

function requireSender(
  settings: { kind: string; fromNumber?: string; messagingServiceSid?: string },
  ctx: z.RefinementCtx,
): void {
  if (settings.kind === "twilio" && !settings.fromNumber && !settings.messagingServiceSid)
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ["fromNumber"],
      message: "a from number or a messaging service SID is required",
    });
}

export const TwilioSettings = TwilioFields.superRefine(requireSender);
export type TwilioSettings = z.infer<typeof TwilioSettings>;

export const WebhookChannelSettings = z.object({
  kind: z.literal("webhook"),
  url: httpUrl,
  signingSecret: z.string().min(16, "at least 16 characters").max(256),
});
export type WebhookChannelSettings = z.infer<typeof WebhookChannelSettings>;

export const ChannelSettings = z
  .discriminatedUnion("kind", [SmtpSettings, TwilioFields, WebhookChannelSettings])
  .superRefine(requireSender);
export type ChannelSettings = z.infer<typeof ChannelSettings>;
export type ChannelKind = ChannelSettings["kind"];

export const SECRET_FIELDS = {
  smtp: ["password", "eventsSecret"],
  twilio: ["authToken"],
  webhook: ["signingSecret"],
} as const satisfies { [K in ChannelKind]: ReadonlyArray<keyof Extract<ChannelSettings, { kind: K }>> };
