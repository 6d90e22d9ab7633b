import { BUILT_IN_FLOWS, type BuiltInFlowKey, type EditableDelay } from "./built-in";
import { parseFlowSettings, type FlowSetting } from "./settings";

// One flow's settings as the Flows page's form holds them: each editable delay in the unit that
// suits its bounds (minutes, hours or days), the holdout in percent, "counts toward caps" as a
// checkbox. Pure. Errors come back by form field ("delays.first_message_wait", "holdoutPercent"),
// in the merchant's words; the bounds are the flow's own (parseFlowSettings).

export type DelayUnit = "minutes" | "hours" | "days";

const MINUTES: Readonly<Record<DelayUnit, number>> = { minutes: 1, hours: 60, days: 24 * 60 };

/** The unit a delay is edited in: minutes below an hour, hours below a day, else days. */
export function delayUnit(delay: EditableDelay): DelayUnit {
  if (delay.min < 60) return "minutes";
  if (delay.min < 24 * 60) return "hours";
  return "days";
}

export const delayField = (stepId: string) => `delays.${stepId}`;
export const HOLDOUT_FIELD = "holdoutPercent";
export const CAPS_FIELD = "countsTowardCaps";

export interface FlowSettingValues {
  /** field name → text */
  delays: Record<string, string>;
  holdoutPercent: string;
  countsTowardCaps: boolean;
}

/** A number without float noise: 1.5, not 1.5000000000000002. */
const plain = (n: number) => String(Math.round(n * 1000) / 1000);

export function flowSettingValues(key: BuiltInFlowKey, setting: FlowSetting): FlowSettingValues {
  const delays: Record<string, string> = {};
  for (const d of BUILT_IN_FLOWS[key].delays)
    delays[delayField(d.stepId)] = plain((setting.delays[d.stepId] ?? d.default) / MINUTES[delayUnit(d)]);
  return {
    delays,
    holdoutPercent: plain(setting.holdoutShare * 100),
    countsTowardCaps: setting.countsTowardCaps,
  };
}

interface FormLike {
  get(name: string): FormDataEntryValue | null;
}

export type FlowSettingForm =
  { ok: true; setting: FlowSetting } | { ok: false; fieldErrors: Record<string, string> };

function number(form: FormLike, name: string): number | null {
  const raw = form.get(name);
  const text = typeof raw === "string" ? raw.trim() : "";
  if (!/^\d+(\.\d+)?$/.test(text)) return null;
  return Number(text);
}

/**
 * The form's setting for the flow, or every field that is wrong. `enabled` is kept from `current`:
 * turning a flow on or off is its own action.
 */
export function flowSettingFromForm(
  key: BuiltInFlowKey,
  current: FlowSetting,
  form: FormLike,
): FlowSettingForm {
  const fieldErrors: Record<string, string> = {};
  const delays: Record<string, number> = {};
  for (const d of BUILT_IN_FLOWS[key].delays) {
    const field = delayField(d.stepId);
    const unit = delayUnit(d);
    const value = number(form, field);
    if (value === null) fieldErrors[field] = `${d.label}: enter a number of ${unit}`;
    // whole minutes: "1.5" hours is 90 minutes, "0.01" hours rounds to 1 minute
    else delays[d.stepId] = Math.round(value * MINUTES[unit]);
  }
  const percent = number(form, HOLDOUT_FIELD);
  if (percent === null || percent > 50)
    fieldErrors[HOLDOUT_FIELD] = "Holdout must be a percentage from 0 to 50";
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };

  const candidate = {
    enabled: current.enabled,
    delays,
    holdoutShare: (percent ?? 0) / 100,
    countsTowardCaps: form.get(CAPS_FIELD) === "on",
  };
  const parsed = parseFlowSettings({ [key]: candidate });
  if (parsed.ok) return { ok: true, setting: parsed.settings[key] };
  for (const issue of parsed.issues) {
    // "abandoned_checkout.delays.first_message_wait" → the form's "delays.first_message_wait"
    const path = issue.path.startsWith(`${key}.`) ? issue.path.slice(key.length + 1) : issue.path;
    const field = path === "holdoutShare" ? HOLDOUT_FIELD : path;
    fieldErrors[field] ??= issue.message;
  }
  return { ok: false, fieldErrors };
}
