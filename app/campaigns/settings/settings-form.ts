import { readNumberText } from "../../forms/number-text";
import { isKnownRegion, unknownRegionMessage } from "../../messaging/rules/regions";
import type { SettingsIssue } from "../calendar/issues";
import type { ShippingCutoff } from "../calendar/shipping";
import { DEFAULT_CAMPAIGN_SETTINGS, parseCampaignSettings, type CampaignSettings } from "./campaign-settings";

// The campaign settings form on the Settings page, as text fields a merchant can type into. Pure:
// FormData in, settings or a message per field out; settings in, the fields' text out.
//
// A shipping cut-off is "12-15" (a date) or "10" (days before Christmas); the holdout is a percent;
// an empty cap means no cap; state hours are one "US-FL 08:00-20:00" per line, for ISO 3166-2
// regions only; the attribution windows are whole hours or days. Numbers are read as typed: whole numbers are digits only ("0x1", "1e1", " 1" and
// "1.0" are refused, not read as 1 or 10), the percent digits with an optional decimal part.

export const CAMPAIGN_SETTINGS_FIELDS = [
  "shipping.standard",
  "shipping.express",
  "holdoutPercent",
  "caps.email",
  "caps.sms",
  "caps.webhook",
  "smsQuietHours.start",
  "smsQuietHours.end",
  "stateQuietHours",
  "attribution.emailClickHours",
  "attribution.smsClickHours",
  "attribution.discountCodeDays",
  "attribution.conversionDays",
] as const;
export type CampaignSettingsField = (typeof CAMPAIGN_SETTINGS_FIELDS)[number];
export type CampaignSettingsValues = Record<CampaignSettingsField, string>;

export type CampaignSettingsFormResult =
  | { ok: true; settings: CampaignSettings }
  | { ok: false; errors: Partial<Record<CampaignSettingsField, string>>; values: CampaignSettingsValues };

function byField(value: (field: CampaignSettingsField) => string): CampaignSettingsValues {
  return {
    "shipping.standard": value("shipping.standard"),
    "shipping.express": value("shipping.express"),
    holdoutPercent: value("holdoutPercent"),
    "caps.email": value("caps.email"),
    "caps.sms": value("caps.sms"),
    "caps.webhook": value("caps.webhook"),
    "smsQuietHours.start": value("smsQuietHours.start"),
    "smsQuietHours.end": value("smsQuietHours.end"),
    stateQuietHours: value("stateQuietHours"),
    "attribution.emailClickHours": value("attribution.emailClickHours"),
    "attribution.smsClickHours": value("attribution.smsClickHours"),
    "attribution.discountCodeDays": value("attribution.discountCodeDays"),
    "attribution.conversionDays": value("attribution.conversionDays"),
  };
}

const percentText = (share: number) => String(Number((share * 100).toFixed(4)));

const cutoffText = (cutoff: ShippingCutoff) =>
  cutoff.daysBeforeChristmas !== undefined ? String(cutoff.daysBeforeChristmas) : (cutoff.date ?? "");

export function campaignSettingsValues(settings: CampaignSettings): CampaignSettingsValues {
  const { caps, smsQuietHours, stateQuietHours, holdoutShare } = settings.audience;
  const hours = (value: number | null) => (value === null ? "" : String(value));
  return {
    "shipping.standard": cutoffText(settings.shipping.standard),
    "shipping.express": cutoffText(settings.shipping.express),
    holdoutPercent: percentText(holdoutShare),
    "caps.email": hours(caps.email),
    "caps.sms": hours(caps.sms),
    "caps.webhook": hours(caps.webhook),
    "smsQuietHours.start": smsQuietHours.start,
    "smsQuietHours.end": smsQuietHours.end,
    stateQuietHours: Object.entries(stateQuietHours)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([region, w]) => `${region} ${w.start}-${w.end}`)
      .join("\n"),
    "attribution.emailClickHours": String(settings.attribution.emailClickHours),
    "attribution.smsClickHours": String(settings.attribution.smsClickHours),
    "attribution.discountCodeDays": String(settings.attribution.discountCodeDays),
    "attribution.conversionDays": String(settings.attribution.conversionDays),
  };
}

type Read<T> = { value: T } | { error: string };

const DATE = /^\d{2}-\d{2}$/;

function cutoffField(text: string): Read<ShippingCutoff> {
  if (text.trim() === "")
    return { error: 'Required: a date like "12-15" or a number of days before Christmas like 10' };
  if (DATE.test(text.trim())) return { value: { date: text.trim() } };
  const days = readNumberText(text, "whole");
  if (days !== null) return { value: { daysBeforeChristmas: days } };
  return {
    error: 'Enter a date like "12-15", or a whole number of days before Christmas (digits only, like 10)',
  };
}

function hoursField(text: string): Read<number | null> {
  if (text === "") return { value: null };
  const hours = readNumberText(text, "whole");
  return hours !== null
    ? { value: hours }
    : { error: "Enter a whole number of hours (digits only, like 16), or leave empty for no cap" };
}

function percentField(text: string): Read<number> {
  const percent = readNumberText(text, "decimal");
  if (percent === null) return { error: "Enter a percent from 0 to 50 (digits, like 10 or 12.5)" };
  if (percent > 50) return { error: "Holdout must be from 0% to 50% of each campaign's audience" };
  return { value: Number((percent / 100).toFixed(6)) };
}

const STATE_LINE = /^([A-Za-z]{2}-[A-Za-z0-9]{1,3})\s+(\d{2}:\d{2})\s*[-–]\s*(\d{2}:\d{2})$/;

function stateHoursField(text: string): Read<Record<string, { start: string; end: string }>> {
  const hours: Record<string, { start: string; end: string }> = {};
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  for (const [i, line] of lines.entries()) {
    if (line === "") continue;
    const m = STATE_LINE.exec(line);
    if (!m) return { error: `Line ${i + 1}: write a region and its hours like "US-FL 08:00-20:00"` };
    const region = (m[1] ?? "").toUpperCase();
    if (!isKnownRegion(region)) return { error: `Line ${i + 1}: ${unknownRegionMessage(region)}` };
    if (hours[region]) return { error: `Line ${i + 1}: ${region} is listed twice` };
    hours[region] = { start: m[2] ?? "", end: m[3] ?? "" };
  }
  return { value: hours };
}

function wholeField(text: string, unit: "hours" | "days"): Read<number> {
  const value = readNumberText(text, "whole");
  return value !== null ? { value } : { error: `Enter a whole number of ${unit} (digits only, like 24)` };
}

/** Where a settings issue belongs on the form. */
function fieldOf(issue: SettingsIssue): CampaignSettingsField {
  const path = issue.path.replace(/^audience\./, "");
  if (path.startsWith("shipping.express")) return "shipping.express";
  if (path.startsWith("shipping")) return "shipping.standard";
  if (path.startsWith("holdoutShare")) return "holdoutPercent";
  if (path.startsWith("stateQuietHours")) return "stateQuietHours";
  const exact = CAMPAIGN_SETTINGS_FIELDS.find((field) => path === field || path.startsWith(`${field}.`));
  return exact ?? (path.startsWith("caps") ? "caps.email" : "smsQuietHours.start");
}

export function campaignSettingsFromForm(form: FormData): CampaignSettingsFormResult {
  // As typed: the number fields must not be padded (" 1"); text fields are trimmed where read.
  const values = byField((field) => {
    const raw = form.get(field);
    return typeof raw === "string" ? raw : "";
  });
  const errors: Partial<Record<CampaignSettingsField, string>> = {};
  // A field that cannot be read is named and replaced by its default, so the checks of the other
  // fields still run and the merchant sees every problem at once.
  function read<T>(field: CampaignSettingsField, result: Read<T>, fallback: T): T {
    if (!("error" in result)) return result.value;
    errors[field] = result.error;
    return fallback;
  }
  const defaults = DEFAULT_CAMPAIGN_SETTINGS;
  const input = {
    shipping: {
      standard: read(
        "shipping.standard",
        cutoffField(values["shipping.standard"]),
        defaults.shipping.standard,
      ),
      express: read("shipping.express", cutoffField(values["shipping.express"]), defaults.shipping.express),
    },
    audience: {
      holdoutShare: read(
        "holdoutPercent",
        percentField(values.holdoutPercent),
        defaults.audience.holdoutShare,
      ),
      caps: {
        email: read("caps.email", hoursField(values["caps.email"]), defaults.audience.caps.email),
        sms: read("caps.sms", hoursField(values["caps.sms"]), defaults.audience.caps.sms),
        webhook: read("caps.webhook", hoursField(values["caps.webhook"]), defaults.audience.caps.webhook),
      },
      smsQuietHours: { start: values["smsQuietHours.start"].trim(), end: values["smsQuietHours.end"].trim() },
      stateQuietHours: read("stateQuietHours", stateHoursField(values.stateQuietHours), {}),
    },
    attribution: {
      emailClickHours: read(
        "attribution.emailClickHours",
        wholeField(values["attribution.emailClickHours"], "hours"),
        defaults.attribution.emailClickHours,
      ),
      smsClickHours: read(
        "attribution.smsClickHours",
        wholeField(values["attribution.smsClickHours"], "hours"),
        defaults.attribution.smsClickHours,
      ),
      discountCodeDays: read(
        "attribution.discountCodeDays",
        wholeField(values["attribution.discountCodeDays"], "days"),
        defaults.attribution.discountCodeDays,
      ),
      conversionDays: read(
        "attribution.conversionDays",
        wholeField(values["attribution.conversionDays"], "days"),
        defaults.attribution.conversionDays,
      ),
    },
  };
  const parsed = parseCampaignSettings(input);
  if (parsed.ok && Object.keys(errors).length === 0) return { ok: true, settings: parsed.settings };
  if (!parsed.ok) for (const issue of parsed.issues) errors[fieldOf(issue)] ??= issue.message;
  return { ok: false, errors, values };
}
