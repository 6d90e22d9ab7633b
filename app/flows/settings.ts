import { z } from "zod";
import {
  BUILT_IN_FLOW_KEYS,
  BUILT_IN_FLOWS,
  PEAK_FIRST_MESSAGE_MINUTES,
  type BuiltInFlowKey,
} from "./built-in";
import { FlowDefinition, type FlowIssue, type FlowStep } from "./definition";

// A shop's settings of the built-in flows: each on or off, its delays within their bounds, its
// holdout share and whether it counts toward the shared frequency caps. Stored as JSON, parsed when
// written and read; every problem names its field ("abandoned_checkout.delays.first_message_wait").

function duration(minutes: number): string {
  if (minutes % (24 * 60) === 0) return `${minutes / (24 * 60)} day${minutes === 24 * 60 ? "" : "s"}`;
  if (minutes % 60 === 0) return `${minutes / 60} hour${minutes === 60 ? "" : "s"}`;
  return `${minutes} minutes`;
}

function settingFor(key: BuiltInFlowKey) {
  const editable = BUILT_IN_FLOWS[key].delays;
  const defaults = Object.fromEntries(editable.map((d) => [d.stepId, d.default]));
  return z
    .object({
      enabled: z.boolean({ invalid_type_error: "Enabled must be true or false" }).default(true),
      delays: z
        .record(
          z
            .number({ invalid_type_error: "A delay must be a number of minutes" })
            .int("A delay must be a whole number of minutes"),
        )
        .default({})
        .superRefine((delays, ctx) => {
          for (const [stepId, minutes] of Object.entries(delays)) {
            const d = editable.find((e) => e.stepId === stepId);
            if (!d) {
              const names = editable.map((e) => e.stepId).join(", ") || "none";
              ctx.addIssue({
                code: "custom",
                path: [stepId],
                message: `No editable delay "${stepId}" (editable: ${names})`,
              });
            } else if (minutes < d.min || minutes > d.max) {
              ctx.addIssue({
                code: "custom",
                path: [stepId],
                message: `${d.label} must be from ${duration(d.min)} to ${duration(d.max)} (got ${duration(minutes)})`,
              });
            }
          }
        })
        .transform((delays): Record<string, number> => ({ ...defaults, ...delays })),
      holdoutShare: z
        .number({ invalid_type_error: "Holdout share must be a number" })
        .min(0, "Holdout share must be from 0 to 0.5 (e.g. 0.1 for 10%)")
        .max(0.5, "Holdout share must be from 0 to 0.5 (e.g. 0.1 for 10%)")
        .default(0.1),
      countsTowardCaps: z
        .boolean({ invalid_type_error: "Counts toward caps must be true or false" })
        .default(true),
    })
    .strict()
    .default({});
}

export const FlowSettings = z
  .object({
    abandoned_checkout: settingFor("abandoned_checkout"),
    welcome: settingFor("welcome"),
    win_back: settingFor("win_back"),
    vip_recognition: settingFor("vip_recognition"),
    post_purchase_cross_sell: settingFor("post_purchase_cross_sell"),
  })
  .strict();
export type FlowSettings = z.infer<typeof FlowSettings>;
export type FlowSetting = FlowSettings[BuiltInFlowKey];

export const DEFAULT_FLOW_SETTINGS: FlowSettings = Object.freeze(FlowSettings.parse({}));

export function parseFlowSettings(
  input: unknown,
): { ok: true; settings: FlowSettings } | { ok: false; issues: FlowIssue[] } {
  const r = FlowSettings.safeParse(input ?? {});
  if (r.success) return { ok: true, settings: r.data };
  return { ok: false, issues: r.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) };
}

/** The settings with the peak preset: the abandoned checkout's first message after 30 minutes. */
export function withPeakPreset(settings: FlowSettings): FlowSettings {
  const ac = settings.abandoned_checkout;
  return {
    ...settings,
    abandoned_checkout: { ...ac, delays: { ...ac.delays, first_message_wait: PEAK_FIRST_MESSAGE_MINUTES } },
  };
}

function withDelays(steps: readonly FlowStep[], delays: Readonly<Record<string, number>>): FlowStep[] {
  return steps.map((step): FlowStep => {
    switch (step.kind) {
      case "wait":
        return { ...step, minutes: delays[step.id] ?? step.minutes };
      case "wait_until":
      case "send":
        return step;
      case "branch":
        return {
          ...step,
          then: Array.isArray(step.then) ? withDelays(step.then, delays) : step.then,
          else: Array.isArray(step.else) ? withDelays(step.else, delays) : step.else,
        };
      default: {
        const never: never = step;
        throw new Error(`unknown step ${String(never)}`);
      }
    }
  });
}

/** A built-in flow as this shop runs it. */
export function applyFlowSettings(key: BuiltInFlowKey, setting: FlowSetting): FlowDefinition {
  const base = BUILT_IN_FLOWS[key].definition;
  return FlowDefinition.parse({
    ...base,
    enabled: setting.enabled,
    steps: withDelays(base.steps, setting.delays),
    holdoutShare: setting.holdoutShare,
    countsTowardCaps: setting.countsTowardCaps,
  });
}

/** Every built-in flow as this shop runs it, in BUILT_IN_FLOW_KEYS order. */
export function shopFlows(settings: FlowSettings): FlowDefinition[] {
  return BUILT_IN_FLOW_KEYS.map((key) => applyFlowSettings(key, settings[key]));
}
