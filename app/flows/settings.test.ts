import { describe, expect, it } from "vitest";
import { BUILT_IN_FLOW_KEYS, BUILT_IN_FLOWS } from "./built-in";
import type { FlowStep } from "./definition";
import {
  applyFlowSettings,
  DEFAULT_FLOW_SETTINGS,
  parseFlowSettings,
  shopFlows,
  withPeakPreset,
} from "./settings";

const waits = (steps: readonly FlowStep[]): Record<string, number> =>
  Object.fromEntries(
    steps.flatMap((s): [string, number][] =>
      s.kind === "wait"
        ? [[s.id, s.minutes]]
        : s.kind === "branch"
          ? Object.entries({
              ...(Array.isArray(s.then) ? waits(s.then) : {}),
              ...(Array.isArray(s.else) ? waits(s.else) : {}),
            })
          : [],
    ),
  );

describe("FlowSettings", () => {
  it("defaults: every flow on, the built-in delays, 10% holdout, counting toward caps", () => {
    expect(DEFAULT_FLOW_SETTINGS.abandoned_checkout).toEqual({
      enabled: true,
      delays: { first_message_wait: 60, first_reminder_wait: 1440, last_reminder_wait: 2880 },
      holdoutShare: 0.1,
      countsTowardCaps: true,
    });
    expect(DEFAULT_FLOW_SETTINGS.vip_recognition.delays).toEqual({});
    // the defaults give back the built-in definitions themselves
    for (const key of BUILT_IN_FLOW_KEYS)
      expect(applyFlowSettings(key, DEFAULT_FLOW_SETTINGS[key])).toEqual(BUILT_IN_FLOWS[key].definition);
  });

  it("keeps each delay within its bounds and names the field", () => {
    const r = (delays: Record<string, unknown>) => parseFlowSettings({ abandoned_checkout: { delays } });
    expect(r({ first_message_wait: 15 }).ok).toBe(true);
    expect(r({ first_message_wait: 1440 }).ok).toBe(true);
    expect(r({ first_message_wait: 14 })).toEqual({
      ok: false,
      issues: [
        {
          path: "abandoned_checkout.delays.first_message_wait",
          message:
            "First message, after the last checkout activity must be from 15 minutes to 1 day (got 14 minutes)",
        },
      ],
    });
    expect(r({ first_message_wait: 1441 }).ok).toBe(false);
    expect(r({ first_message: 30 })).toMatchObject({
      ok: false,
      issues: [{ path: "abandoned_checkout.delays.first_message" }],
    });
    expect(parseFlowSettings({ welcome: { holdoutShare: 0.6 } })).toMatchObject({
      ok: false,
      issues: [{ path: "welcome.holdoutShare" }],
    });
    expect(parseFlowSettings({ cart_flow: {} })).toMatchObject({ ok: false, issues: [{ path: "" }] });
    expect(parseFlowSettings(null)).toEqual({ ok: true, settings: DEFAULT_FLOW_SETTINGS });
  });

  it("applies the settings to the built-in flow; the peak preset makes the first message 30 minutes", () => {
    const peak = withPeakPreset(DEFAULT_FLOW_SETTINGS);
    const flow = applyFlowSettings("abandoned_checkout", peak.abandoned_checkout);
    expect(waits(flow.steps)).toEqual({
      first_message_wait: 30,
      first_reminder_wait: 1440,
      last_reminder_wait: 2880,
    });
    const parsed = parseFlowSettings({
      welcome: {
        enabled: false,
        delays: { second_welcome_wait: 2880 },
        holdoutShare: 0.2,
        countsTowardCaps: false,
      },
    });
    if (!parsed.ok) throw new Error("valid");
    const welcome = shopFlows(parsed.settings)[1];
    expect(welcome).toMatchObject({
      key: "welcome",
      enabled: false,
      holdoutShare: 0.2,
      countsTowardCaps: false,
    });
    expect(waits(welcome?.steps ?? [])).toEqual({ second_welcome_wait: 2880 });
  });

  it("the built-in flows are what the issue asks for", () => {
    const flows = shopFlows(DEFAULT_FLOW_SETTINGS);
    expect(flows.map((f) => [f.key, f.trigger.event, f.exitWhen])).toEqual([
      ["abandoned_checkout", "checkout_activity", ["order_placed", "unsubscribed"]],
      ["welcome", "marketing_consent_granted", ["unsubscribed"]],
      ["win_back", "segment_entered", ["order_placed", "unsubscribed", "segment_left"]],
      ["vip_recognition", "segment_entered", ["unsubscribed", "segment_left"]],
      ["post_purchase_cross_sell", "order_placed", ["unsubscribed"]],
    ]);
    const sends = (steps: readonly FlowStep[]): FlowStep[] =>
      steps.flatMap((s) =>
        s.kind === "send" ? [s] : s.kind === "branch" && Array.isArray(s.else) ? sends(s.else) : [],
      );
    expect(sends(BUILT_IN_FLOWS.welcome.definition.steps)).toHaveLength(2);
    // win-back: email only, no discount
    expect(
      sends(BUILT_IN_FLOWS.win_back.definition.steps).every(
        (s) => s.kind === "send" && s.channels.join() === "email",
      ),
    ).toBe(true);
    expect(BUILT_IN_FLOWS.win_back.definition.discount.offerTo).toEqual([]);
    expect(BUILT_IN_FLOWS.abandoned_checkout.definition.discount.offerTo).toEqual(["price_sensitive"]);
    expect(flows.every((f) => f.holdoutShare === 0.1 && f.countsTowardCaps)).toBe(true);
  });
});
