import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_CAMPAIGN_SETTINGS, parseCampaignSettings, type CampaignSettings } from "./campaign-settings";
import {
  campaignSettingsFromForm,
  campaignSettingsValues,
  type CampaignSettingsValues,
} from "./settings-form";

const formOf = (values: Partial<CampaignSettingsValues>) => {
  const form = new FormData();
  for (const [k, v] of Object.entries({ ...campaignSettingsValues(DEFAULT_CAMPAIGN_SETTINGS), ...values }))
    form.set(k, v);
  return form;
};

const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;

describe("campaign settings form", () => {
  it("shows the defaults as a merchant reads them", () => {
    expect(campaignSettingsValues(DEFAULT_CAMPAIGN_SETTINGS)).toEqual({
      "shipping.standard": "12-15",
      "shipping.express": "12-20",
      holdoutPercent: "10",
      "caps.email": "16",
      "caps.sms": "24",
      "caps.webhook": "",
      "smsQuietHours.start": "08:00",
      "smsQuietHours.end": "21:00",
      stateQuietHours: "US-FL 08:00-20:00\nUS-OK 08:00-20:00\nUS-WA 08:00-20:00",
      "attribution.emailClickHours": "120",
      "attribution.smsClickHours": "24",
      "attribution.discountCodeDays": "30",
      "attribution.conversionDays": "5",
    });
  });

  it("reads days before Christmas, percents, empty caps and state lines", () => {
    const r = campaignSettingsFromForm(
      formOf({
        "shipping.standard": "12",
        "shipping.express": " 12-22 ",
        holdoutPercent: "12.5",
        "caps.email": "",
        "caps.sms": "48",
        "smsQuietHours.start": "09:00",
        stateQuietHours: "\nus-tx 09:30 – 19:00\r\nUS-FL 08:00-20:00\n",
        "attribution.smsClickHours": "48",
        "attribution.conversionDays": "7",
      }),
    );
    expect(r).toEqual({
      ok: true,
      settings: {
        shipping: { standard: { daysBeforeChristmas: 12 }, express: { date: "12-22" } },
        audience: {
          holdoutShare: 0.125,
          caps: { email: null, sms: 48, webhook: null },
          smsQuietHours: { start: "09:00", end: "21:00" },
          stateQuietHours: {
            "US-TX": { start: "09:30", end: "19:00" },
            "US-FL": { start: "08:00", end: "20:00" },
          },
        },
        attribution: { emailClickHours: 120, smsClickHours: 48, discountCodeDays: 30, conversionDays: 7 },
      },
    });
  });

  it("refuses attribution windows that are not whole or out of range, naming the field", () => {
    const errors = (values: Partial<CampaignSettingsValues>) => {
      const r = campaignSettingsFromForm(formOf(values));
      return r.ok ? {} : r.errors;
    };
    expect(errors({ "attribution.emailClickHours": "1.5" })).toEqual({
      "attribution.emailClickHours": "Enter a whole number of hours (digits only, like 24)",
    });
    expect(errors({ "attribution.smsClickHours": "0" })).toEqual({
      "attribution.smsClickHours": "The text click window must be from 1 to 720 hours",
    });
    expect(errors({ "attribution.conversionDays": "61" })).toEqual({
      "attribution.conversionDays": "The lift window must be from 1 to 60 days",
    });
  });

  it("names each bad field and keeps what was typed", () => {
    const r = campaignSettingsFromForm(
      formOf({
        "shipping.standard": "",
        holdoutPercent: "60",
        "caps.sms": "daily",
        stateQuietHours: "Florida until 8pm",
      }),
    );
    expect(r).toEqual({
      ok: false,
      errors: {
        "shipping.standard": 'Required: a date like "12-15" or a number of days before Christmas like 10',
        holdoutPercent: "Holdout must be from 0% to 50% of each campaign's audience",
        "caps.sms": "Enter a whole number of hours (digits only, like 16), or leave empty for no cap",
        stateQuietHours: 'Line 1: write a region and its hours like "US-FL 08:00-20:00"',
      },
      values: expect.objectContaining({ "caps.sms": "daily", holdoutPercent: "60" }),
    });
    const zod = campaignSettingsFromForm(
      formOf({
        "shipping.express": "12-10",
        "smsQuietHours.end": "22:00",
        "caps.email": "1000",
        stateQuietHours: "US-TX 21:30-23:00",
      }),
    );
    expect(zod.ok ? {} : zod.errors).toEqual({
      "shipping.express": expect.stringContaining("must not be earlier than the standard cut-off"),
      "smsQuietHours.end": "SMS may not go out after 21:00 local time (got 22:00)",
      "caps.email": "Email cap must be at most 720 hours (30 days)",
    });
    const state = campaignSettingsFromForm(
      formOf({ stateQuietHours: "US-TX 21:30-23:00\nUS-TX 09:00-10:00" }),
    );
    expect(state.ok ? {} : state.errors).toEqual({ stateQuietHours: "Line 2: US-TX is listed twice" });
    const overlap = campaignSettingsFromForm(formOf({ stateQuietHours: "US-TX 21:30-23:00" }));
    expect(overlap.ok ? {} : overlap.errors).toEqual({
      stateQuietHours: "US-TX hours 21:30–23:00 do not overlap the SMS hours 08:00–21:00",
    });
  });

  it.each(["0x1", "1e1", " 1", "1 ", "1.0", "+1", "01", "-1", "1_0", "١"])(
    "refuses %j where a whole number is expected, instead of reading it as a number",
    (text) => {
      const r = campaignSettingsFromForm(
        formOf({ "caps.email": text, "caps.sms": text, "shipping.standard": text }),
      );
      expect(r.ok ? {} : r.errors).toEqual({
        "caps.email": "Enter a whole number of hours (digits only, like 16), or leave empty for no cap",
        "caps.sms": "Enter a whole number of hours (digits only, like 16), or leave empty for no cap",
        "shipping.standard":
          'Enter a date like "12-15", or a whole number of days before Christmas (digits only, like 10)',
      });
    },
  );

  it.each(["0x1", "1e1", " 1", "1.", ".5", "Infinity"])("refuses %j as a holdout percent", (text) => {
    const r = campaignSettingsFromForm(formOf({ holdoutPercent: text }));
    expect(r.ok ? {} : r.errors).toEqual({
      holdoutPercent: "Enter a percent from 0 to 50 (digits, like 10 or 12.5)",
    });
  });

  it("refuses regions that are not ISO 3166-2 subdivisions, by name and line", () => {
    const errors = (stateQuietHours: string) => {
      const r = campaignSettingsFromForm(formOf({ stateQuietHours }));
      return r.ok ? {} : r.errors;
    };
    expect(errors("US-FL 08:00-20:00\nUS-FLA 08:00-20:00")).toEqual({
      stateQuietHours:
        'Line 2: US-FLA is not a known state or province: use its ISO 3166-2 code, like "US-FL"',
    });
    expect(errors("XX-ZZZ 08:00-20:00")).toEqual({
      stateQuietHours:
        'Line 1: XX-ZZZ is not a known state or province: use its ISO 3166-2 code, like "US-FL"',
    });
    expect(errors("CA-QC 09:00-20:00\nus-pr 08:00-20:00\nGB-ENG 09:00-20:00")).toEqual({});
  });

  it("property: any valid settings survive the form unchanged", () => {
    const cutoff = fc.oneof(
      fc.integer({ min: 1, max: 54 }).map((daysBeforeChristmas) => ({ daysBeforeChristmas })),
      fc.integer({ min: 1, max: 24 }).map((day) => ({ date: `12-${String(day).padStart(2, "0")}` })),
    );
    const cap = fc.option(fc.integer({ min: 0, max: 720 }), { nil: null });
    const window = fc
      .tuple(fc.integer({ min: 480, max: 1259 }), fc.integer({ min: 1, max: 780 }))
      .map(([start, length]) => ({ start: hhmm(start), end: hhmm(Math.min(1260, start + length)) }));
    const settings = fc
      .record({
        standard: cutoff,
        express: cutoff,
        holdout: fc.integer({ min: 0, max: 5000 }),
        email: cap,
        sms: cap,
        webhook: cap,
        sms_hours: window,
        states: fc.dictionary(fc.constantFrom("US-FL", "US-TX", "CA-QC", "US-OK"), window, { maxKeys: 3 }),
        attribution: fc.record({
          emailClickHours: fc.integer({ min: 1, max: 720 }),
          smsClickHours: fc.integer({ min: 1, max: 720 }),
          discountCodeDays: fc.integer({ min: 1, max: 90 }),
          conversionDays: fc.integer({ min: 1, max: 60 }),
        }),
      })
      .map((r) =>
        parseCampaignSettings({
          shipping: { standard: r.standard, express: r.express },
          audience: {
            holdoutShare: r.holdout / 10000,
            caps: { email: r.email, sms: r.sms, webhook: r.webhook },
            smsQuietHours: r.sms_hours,
            stateQuietHours: r.states,
          },
          attribution: r.attribution,
        }),
      )
      .filter((p): p is { ok: true; settings: CampaignSettings } => p.ok);
    fc.assert(
      fc.property(settings, ({ settings: s }) => {
        const form = new FormData();
        for (const [k, v] of Object.entries(campaignSettingsValues(s))) form.set(k, v);
        expect(campaignSettingsFromForm(form)).toEqual({ ok: true, settings: s });
      }),
      { numRuns: 300 },
    );
  });
});
