import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BUILT_IN_FLOW_KEYS, BUILT_IN_FLOWS } from "./built-in";
import { DEFAULT_FLOW_SETTINGS } from "./settings";
import { delayUnit, flowSettingFromForm, flowSettingValues } from "./setting-form";

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
};
const ac = DEFAULT_FLOW_SETTINGS.abandoned_checkout;

describe("a flow's settings form", () => {
  it("shows each delay in the unit of its bounds, the holdout in percent", () => {
    expect(BUILT_IN_FLOWS.abandoned_checkout.delays.map(delayUnit)).toEqual(["minutes", "hours", "days"]);
    expect(flowSettingValues("abandoned_checkout", ac)).toEqual({
      delays: {
        "delays.first_message_wait": "60",
        "delays.first_reminder_wait": "24",
        "delays.last_reminder_wait": "2",
      },
      holdoutPercent: "10",
      countsTowardCaps: true,
    });
    expect(flowSettingValues("vip_recognition", DEFAULT_FLOW_SETTINGS.vip_recognition).delays).toEqual({});
  });

  it("reads the fields into minutes, keeping whether the flow is on", () => {
    const on = { ...ac, enabled: true };
    const result = flowSettingFromForm(
      "abandoned_checkout",
      on,
      form({
        "delays.first_message_wait": "30",
        "delays.first_reminder_wait": "7.5",
        "delays.last_reminder_wait": " 3 ",
        holdoutPercent: "5",
        countsTowardCaps: "on",
      }),
    );
    expect(result).toEqual({
      ok: true,
      setting: {
        enabled: true,
        delays: { first_message_wait: 30, first_reminder_wait: 450, last_reminder_wait: 4320 },
        holdoutShare: 0.05,
        countsTowardCaps: true,
      },
    });
  });

  it("names every wrong field in the merchant's words", () => {
    const result = flowSettingFromForm(
      "abandoned_checkout",
      ac,
      form({
        "delays.first_message_wait": "5",
        "delays.first_reminder_wait": "soon",
        "delays.last_reminder_wait": "2",
        holdoutPercent: "60",
      }),
    );
    expect(result).toEqual({
      ok: false,
      fieldErrors: {
        "delays.first_reminder_wait": "First reminder, after the first message: enter a number of hours",
        holdoutPercent: "Holdout must be a percentage from 0 to 50",
      },
    });
    // bounds are checked once the numbers read
    const bounds = flowSettingFromForm(
      "abandoned_checkout",
      ac,
      form({
        "delays.first_message_wait": "5",
        "delays.first_reminder_wait": "2",
        "delays.last_reminder_wait": "9",
        holdoutPercent: "10",
      }),
    );
    expect(bounds).toEqual({
      ok: false,
      fieldErrors: {
        "delays.first_message_wait":
          "First message, after the last checkout activity must be from 15 minutes to 1 day (got 5 minutes)",
        "delays.first_reminder_wait":
          "First reminder, after the first message must be from 6 hours to 3 days (got 2 hours)",
        "delays.last_reminder_wait":
          "Last reminder, after the first reminder must be from 1 day to 7 days (got 9 days)",
      },
    });
  });

  it("gives back the setting it shows, for any delays within bounds", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...BUILT_IN_FLOW_KEYS),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 0, max: 50 }),
        fc.boolean(),
        (key, picks, percent, caps) => {
          const delays = Object.fromEntries(
            BUILT_IN_FLOWS[key].delays.map((d, i) => {
              const step = { minutes: 1, hours: 60, days: 1440 }[delayUnit(d)];
              const lo = Math.ceil(d.min / step);
              const hi = Math.floor(d.max / step);
              return [d.stepId, (lo + Math.floor((picks[i] ?? 0) * (hi - lo))) * step];
            }),
          );
          const setting = { enabled: false, delays, holdoutShare: percent / 100, countsTowardCaps: caps };
          const values = flowSettingValues(key, setting);
          const fields: Record<string, string> = { ...values.delays, holdoutPercent: values.holdoutPercent };
          if (values.countsTowardCaps) fields.countsTowardCaps = "on";
          expect(flowSettingFromForm(key, setting, form(fields))).toEqual({ ok: true, setting });
        },
      ),
      { numRuns: 200 },
    );
  });
});
