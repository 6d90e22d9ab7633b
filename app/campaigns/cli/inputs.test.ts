import { describe, expect, it } from "vitest";
import { DEFAULT_AUDIENCE_SETTINGS } from "../audience";
import { parseSettingsJson, parseShopJson } from "./inputs";

const errors = (r: { ok: boolean; errors?: string[] }) => (r.ok ? [] : r.errors);

describe("parseShopJson", () => {
  it("reads the shop's zone, currency and country, ignoring other fields", () => {
    expect(
      parseShopJson('{"ianaTimezone":"Europe/Berlin","currencyCode":"EUR","countryCode":"DE","name":"x"}'),
    ).toEqual({
      ok: true,
      value: { ianaTimezone: "Europe/Berlin", currencyCode: "EUR", countryCode: "DE" },
    });
    expect(parseShopJson('{"ianaTimezone":"UTC","currencyCode":"JPY","countryCode":null}')).toMatchObject({
      ok: true,
      value: { countryCode: null },
    });
  });

  it("names each bad field", () => {
    expect(errors(parseShopJson('{"currencyCode":"usd","countryCode":"USA"}'))).toEqual([
      "ianaTimezone: missing",
      'currencyCode: must be a 3-letter ISO 4217 code like "USD"',
      'countryCode: must be a two-letter code like "US", or null',
    ]);
    expect(errors(parseShopJson('{"ianaTimezone":"Mars/Olympus","currencyCode":"USD"}'))).toEqual([
      'ianaTimezone: not a known IANA time zone (like "America/New_York")',
      'countryCode: missing (a two-letter code like "US", or null)',
    ]);
    expect(errors(parseShopJson("{"))).toEqual(["(file): invalid JSON"]);
    expect(errors(parseShopJson("[]"))).toEqual(["(file): not a JSON object"]);
  });
});

describe("parseSettingsJson", () => {
  it("fills the defaults and says whether the holdout share was given", () => {
    expect(parseSettingsJson("{}")).toEqual({
      ok: true,
      value: {
        settings: DEFAULT_AUDIENCE_SETTINGS,
        shipping: { standard: { date: "12-15" }, express: { date: "12-20" } },
        holdoutShareGiven: false,
      },
    });
    const given = parseSettingsJson('{"holdoutShare":0.2,"caps":{"sms":48}}');
    expect(
      given.ok && [
        given.value.holdoutShareGiven,
        given.value.settings.holdoutShare,
        given.value.settings.caps,
      ],
    ).toEqual([true, 0.2, { email: 16, sms: 48, webhook: null }]);
  });

  it("reports the settings' own messages by field", () => {
    expect(
      errors(parseSettingsJson('{"holdoutShare":0.9,"smsQuietHours":{"start":"22:00","end":"08:00"}}')),
    ).toEqual([
      "holdoutShare: Holdout share must be from 0 to 0.5 (e.g. 0.1 for 10%)",
      "smsQuietHours.end: End (08:00) must be later than start (22:00) on the same day",
    ]);
    expect(
      errors(
        parseSettingsJson(
          '{"smsQuietHours":{"start":"07:00","end":"21:00"},"shipping":{"standard":{"date":"12-31"}}}',
        ),
      ),
    ).toEqual([
      "smsQuietHours.start: SMS may not go out before 08:00 local time (got 07:00)",
      'shipping.standard.date: Standard shipping cut-off date must be a month-day from 11-01 to 12-24, like "12-15"',
    ]);
    const shipping = parseSettingsJson('{"shipping":{"standard":{"daysBeforeChristmas":12}}}');
    expect(shipping.ok && shipping.value.shipping).toEqual({
      standard: { daysBeforeChristmas: 12 },
      express: { date: "12-20" },
    });
    expect(errors(parseSettingsJson('{"holdout":0.1}'))).toEqual([
      "(settings): Unrecognized key(s) in object: 'holdout'",
    ]);
  });

  it("refuses whole numbers not written as digits and regions that are not ISO 3166-2, by name", () => {
    expect(
      errors(
        parseSettingsJson(
          '{"caps":{"email":1e1,"sms":1.0,"webhook":24},"shipping":{"standard":{"daysBeforeChristmas":10.0}}}',
        ),
      ),
    ).toEqual([
      "caps.email: a cap in hours must be a whole number written as digits (got 1e1)",
      "caps.sms: a cap in hours must be a whole number written as digits (got 1.0)",
      "shipping.standard.daysBeforeChristmas: days before Christmas must be a whole number written as digits (got 10.0)",
    ]);
    expect(errors(parseSettingsJson('{"caps":{"sms":" 1"}}'))).toEqual([
      "caps.sms: SMS cap must be a number of hours or null for no cap",
    ]);
    expect(errors(parseSettingsJson('{"caps":{"sms":0x1}}'))).toEqual(["(file): invalid JSON"]);
    expect(
      errors(
        parseSettingsJson(
          '{"stateQuietHours":{"US-FLA":{"start":"08:00","end":"20:00"},"XX-ZZZ":{"start":"08:00","end":"20:00"},"US-FL":{"start":"08:00","end":"20:00"}}}',
        ),
      ),
    ).toEqual([
      'stateQuietHours.US-FLA: US-FLA is not a known state or province: use its ISO 3166-2 code, like "US-FL"',
      'stateQuietHours.XX-ZZZ: XX-ZZZ is not a known state or province: use its ISO 3166-2 code, like "US-FL"',
    ]);
    expect(
      errors(
        parseSettingsJson(
          '{"holdoutShare":0.10,"caps":{"sms":48,"email":0},"stateQuietHours":{"CA-QC":{"start":"09:00","end":"20:00"}}}',
        ),
      ),
    ).toEqual([]);
  });
});
