import type { z } from "zod";
import { readNumberText } from "../../forms/number-text";
import { displayUrl, type RedactedSettings } from "../channels/redact";
import { ChannelSettings } from "../channels/settings";
import { DEFAULT_RATE, FIELDS, KIND_OF, RATE_FIELD, RATE_MAX, RATE_MIN, type ChannelName } from "./channels";

// The Settings form of one channel, read into validated ChannelSettings. Pure. The form shows
// settings as redactSettings gives them, so what comes back is read with that in mind: a blank
// secret keeps the stored one, a URL shown without its credentials or query keeps the stored URL,
// and the SMTP user shown as "(same as the password)" keeps the stored user.

export type FormValues = Record<string, string>;
export type FieldErrors = Record<string, string>;

export type ParsedChannelForm =
  | { ok: true; settings: ChannelSettings; ratePerSecond: number }
  /** `values`: what was typed, secrets left out, to show the form again */
  | { ok: false; errors: FieldErrors; values: FormValues };

/** What redactSettings shows for an SMTP user that equals the password (Postmark tokens). */
export const SAME_AS_PASSWORD = "(same as the password)";

interface FormLike {
  get(name: string): FormDataEntryValue | null;
}

const text = (form: FormLike, name: string): string => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

const capitalize = (message: string) => message.charAt(0).toUpperCase() + message.slice(1);

function messageOf(issue: z.ZodIssue): string {
  if (issue.code === "invalid_type") return issue.received === "undefined" ? "Required" : "Enter a number";
  if (issue.code === "invalid_string" && issue.validation === "email")
    return "Enter an email address, e.g. shop@example.com";
  if (issue.code === "invalid_string" && issue.validation === "url")
    return "Enter a URL starting with https://";
  if (issue.code === "too_small" && issue.type === "number")
    return `Enter a number of at least ${String(issue.minimum)}`;
  if (issue.code === "too_big" && issue.type === "number")
    return `Enter a number of at most ${String(issue.maximum)}`;
  if (issue.code === "too_small" && issue.type === "string")
    return issue.message.startsWith("String must") ? "Required" : capitalize(issue.message);
  return capitalize(issue.message);
}

/** Asks for a number typed as digits: `0x1`, `1e1`, ` 25` or `2.0` are not read as one. */
const wholeNumberError = (example?: string) =>
  `Enter a whole number in digits only${example ? `, like ${example}` : ""}`;

/** The number of messages per second, or why it is not one. */
export function parseRate(raw: string): { value: number } | { error: string } {
  if (raw.trim() === "") return { error: "Required" };
  const value = readNumberText(raw, "whole");
  if (value === null) return { error: wholeNumberError(String(DEFAULT_RATE)) };
  if (value < RATE_MIN || value > RATE_MAX)
    return { error: `Enter a number from ${RATE_MIN} to ${RATE_MAX}` };
  return { value };
}

/** What was typed, secrets left out and the rate included: to show the form again. */
export function typedValues(channel: ChannelName, form: FormLike): FormValues {
  const values: FormValues = {};
  for (const field of FIELDS[KIND_OF[channel]])
    values[field.name] = field.secret ? "" : text(form, field.name);
  values[RATE_FIELD] = text(form, RATE_FIELD);
  return values;
}

/** Validates one channel's form against its kind's schema; `stored` fills what the form left as shown. */
export function parseChannelForm(
  channel: ChannelName,
  form: FormLike,
  stored?: ChannelSettings,
): ParsedChannelForm {
  const kind = KIND_OF[channel];
  const fields = FIELDS[kind];
  const kept = new Map<string, unknown>(stored?.kind === kind ? Object.entries(stored) : []);
  const keptText = (name: string) => {
    const value = kept.get(name);
    return typeof value === "string" ? value : undefined;
  };

  const values: FormValues = {};
  const errors: FieldErrors = {};
  const input: Record<string, unknown> = { kind };
  for (const field of fields) {
    const raw = text(form, field.name);
    values[field.name] = field.secret ? "" : raw;
    const blank = raw.trim() === "";
    if (field.secret) input[field.name] = blank ? keptText(field.name) : raw;
    else if (
      field.url &&
      !blank &&
      keptText(field.name) !== undefined &&
      raw.trim() === displayUrl(keptText(field.name) ?? "")
    ) {
      input[field.name] = keptText(field.name);
    } else if (field.type === "number" && !blank) {
      const number = readNumberText(raw, "whole");
      if (number === null) errors[field.name] = wholeNumberError(field.example);
      input[field.name] = number ?? undefined;
    } else input[field.name] = blank ? undefined : raw.trim();
  }
  // Taken at its word, so a new Postmark token typed as the password becomes the user too.
  if (kind === "smtp" && input.user === SAME_AS_PASSWORD) input.user = input.password;

  const rateRaw = text(form, RATE_FIELD);
  values[RATE_FIELD] = rateRaw;
  const rate = parseRate(rateRaw);
  if ("error" in rate) errors[RATE_FIELD] = rate.error;

  const parsed = ChannelSettings.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "");
      if (errors[field] === undefined) errors[field] = messageOf(issue);
    }
  }
  if (!parsed.success || "error" in rate || Object.keys(errors).length > 0)
    return { ok: false, errors, values };
  return { ok: true, settings: parsed.data, ratePerSecond: rate.value };
}

/** The form's starting values: the redacted settings (secrets blank) and the rate. */
export function initialValues(
  channel: ChannelName,
  settings: RedactedSettings | null,
  ratePerSecond: number | null,
): FormValues {
  const kind = KIND_OF[channel];
  const shown = new Map<string, unknown>(settings?.kind === kind ? Object.entries(settings) : []);
  const values: FormValues = {};
  for (const field of FIELDS[kind]) {
    const value = shown.get(field.name);
    values[field.name] = field.secret || value === undefined || value === null ? "" : String(value);
  }
  if (!settings) {
    if (kind === "smtp") Object.assign(values, { port: "587", security: "starttls", poolSize: "5" });
    if (kind === "twilio") values.baseUrl = "https://api.twilio.com";
  }
  values[RATE_FIELD] = String(ratePerSecond ?? DEFAULT_RATE);
  return values;
}
