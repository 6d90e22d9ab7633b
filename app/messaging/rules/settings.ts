import { z } from "zod";
import { parseLocalTime as minutesOfDay } from "./time-zone";

// The merchant's audience settings (issue 5). Parsed once; the planning functions trust the result.

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

const TimeOfDay = (label: string) =>
  z
    .string({ invalid_type_error: `${label} must be a time like "08:00"` })
    .regex(TIME, `${label} must be a time from 00:00 to 23:59, like "08:00"`);

/**
 * The hours in which SMS marketing may go out, local to the recipient: from `start` (included) to
 * `end` (excluded); the rest of the day is quiet. A window across midnight is refused: quiet hours
 * exist to keep texts out of the night.
 */
export const QuietHoursWindow = z
  .object({ start: TimeOfDay("Start"), end: TimeOfDay("End") })
  .strict()
  .superRefine((w, ctx) => {
    if (TIME.test(w.start) && TIME.test(w.end) && minutesOfDay(w.start) >= minutesOfDay(w.end)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["end"],
        message: `End (${w.end}) must be later than start (${w.start}) on the same day`,
      });
    }
  });
export type QuietHoursWindow = z.infer<typeof QuietHoursWindow>;

/** Hours between two marketing messages of one channel to one customer, across campaigns; null = no cap. */
const CapHours = (channel: string) =>
  z
    .number({ invalid_type_error: `${channel} cap must be a number of hours or null for no cap` })
    .min(0, `${channel} cap must be 0 hours or more`)
    .max(24 * 30, `${channel} cap must be at most 720 hours (30 days)`)
    .nullable();

export const FrequencyCaps = z
  .object({
    email: CapHours("Email").default(16),
    sms: CapHours("SMS").default(24),
    webhook: CapHours("Webhook").default(null),
  })
  .strict();
export type FrequencyCaps = z.infer<typeof FrequencyCaps>;

/** A country and province as Shopify stores them, joined: "US-FL", "CA-QC". */
export const RegionKey = z
  .string()
  .regex(/^[A-Z]{2}-[A-Z0-9]{1,3}$/, 'Region must be a country and province code like "US-FL"');

// TCPA allows 08:00–21:00; Florida, Oklahoma and Washington allow texts only until 20:00 (REFERENCE.md).
export const DEFAULT_SMS_QUIET_HOURS: QuietHoursWindow = Object.freeze({ start: "08:00", end: "21:00" });
/** The widest SMS hours any shop may set: a merchant can narrow the window, never widen it. */
export const SMS_HOURS_LIMIT: QuietHoursWindow = DEFAULT_SMS_QUIET_HOURS;
export const DEFAULT_STATE_QUIET_HOURS: Readonly<Record<string, QuietHoursWindow>> = Object.freeze({
  "US-FL": { start: "08:00", end: "20:00" },
  "US-OK": { start: "08:00", end: "20:00" },
  "US-WA": { start: "08:00", end: "20:00" },
});

export const AudienceSettings = z
  .object({
    holdoutShare: z
      .number({ invalid_type_error: "Holdout share must be a number" })
      .min(0, "Holdout share must be from 0 to 0.5 (e.g. 0.1 for 10%)")
      .max(0.5, "Holdout share must be from 0 to 0.5 (e.g. 0.1 for 10%)")
      .default(0.1),
    caps: FrequencyCaps.default({}),
    smsQuietHours: QuietHoursWindow.default({ ...DEFAULT_SMS_QUIET_HOURS }),
    stateQuietHours: z.record(RegionKey, QuietHoursWindow).default({ ...DEFAULT_STATE_QUIET_HOURS }),
  })
  .strict()
  .superRefine((s, ctx) => {
    // A state window can only narrow the general one (it is intersected with it); one that does not
    // overlap it at all would silently stop every text to that state.
    const general = QuietHoursWindow.safeParse(s.smsQuietHours);
    if (!general.success) return;
    const [gs, ge] = [minutesOfDay(general.data.start), minutesOfDay(general.data.end)];
    if (gs < minutesOfDay(SMS_HOURS_LIMIT.start))
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["smsQuietHours", "start"],
        message: `SMS may not go out before ${SMS_HOURS_LIMIT.start} local time (got ${general.data.start})`,
      });
    if (ge > minutesOfDay(SMS_HOURS_LIMIT.end))
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["smsQuietHours", "end"],
        message: `SMS may not go out after ${SMS_HOURS_LIMIT.end} local time (got ${general.data.end})`,
      });
    for (const [region, w] of Object.entries(s.stateQuietHours)) {
      if (!QuietHoursWindow.safeParse(w).success) continue;
      if (Math.max(gs, minutesOfDay(w.start)) >= Math.min(ge, minutesOfDay(w.end))) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["stateQuietHours", region],
          message: `${region} hours ${w.start}–${w.end} do not overlap the SMS hours ${general.data.start}–${general.data.end}`,
        });
      }
    }
  });
export type AudienceSettings = z.infer<typeof AudienceSettings>;

export const DEFAULT_AUDIENCE_SETTINGS: AudienceSettings = Object.freeze(AudienceSettings.parse({}));

/** Settings or every problem as "path: message", e.g. "stateQuietHours.US-FL.end: End (07:00) must be …". */
export function parseAudienceSettings(
  input: unknown,
): { ok: true; settings: AudienceSettings } | { ok: false; errors: string[] } {
  const r = AudienceSettings.safeParse(input);
  if (r.success) return { ok: true, settings: r.data };
  return {
    ok: false,
    errors: r.error.issues.map((i) => `${i.path.length ? i.path.join(".") : "(settings)"}: ${i.message}`),
  };
}
