import { describe, expect, it } from "vitest";
import type { PlanRow } from "../audience";
import { AudienceTable } from "./audience-table";
import { formatPlanRow, PLAN_CSV_HEADER } from "./csv";
import { PlanSummary } from "./summary";

const row = (over: Partial<PlanRow> = {}): PlanRow => ({
  campaign: "cyber-week-2026:vip/early_access",
  customerId: "gid://shopify/Customer/7",
  segment: "vip",
  channel: "email",
  holdout: false,
  sendAtUtc: new Date("2026-11-25T15:00:00Z"),
  localSendTime: "2026-11-25T10:00:00-05:00",
  timeZone: "America/New_York",
  timeZoneFallback: null,
  localTimeAdjustment: "exact",
  skipReason: null,
  ...over,
});

describe("AudienceTable", () => {
  it("keeps what eligibility reads, addresses as presence only, across growth", () => {
    const t = new AudienceTable();
    for (let i = 0; i < 3000; i++) {
      t.push({
        email: i % 3 === 0 ? null : i % 3 === 1 ? "  " : "a@example.com",
        phone: i % 2 === 0 ? "+15550100" : null,
        emailMarketingState: i % 2 === 0 ? "SUBSCRIBED" : "PENDING",
        smsMarketingState: null,
        countryCode: "US",
        provinceCode: i % 2 === 0 ? "FL" : null,
        timeZone: i % 2 === 0 ? "America/New_York" : undefined,
      });
    }
    expect(t.size).toBe(3000);
    expect(t.customer(2996, "gid://shopify/Customer/1", "vip")).toEqual({
      id: "gid://shopify/Customer/1",
      segment: "vip",
      email: "(present)",
      phone: "(present)",
      emailMarketingState: "SUBSCRIBED",
      smsMarketingState: null,
      countryCode: "US",
      provinceCode: "FL",
      timeZone: "America/New_York",
    });
    expect(t.customer(2999, "x", "lapsed")).toMatchObject({
      email: "(present)",
      phone: null,
      emailMarketingState: "PENDING",
      provinceCode: null,
      timeZone: null,
    });
    expect(t.customer(2997, "x", "lapsed").email).toBeNull(); // none
    expect(t.customer(2998, "x", "lapsed").email).toBeNull(); // blank
    expect(t.zones.values).toEqual([null, "America/New_York"]);
  });
});

describe("plan CSV", () => {
  it("has the issue's header and one line per row", () => {
    expect(PLAN_CSV_HEADER).toBe(
      "campaign,customer_id,segment,channel,holdout,send_at_utc,local_send_time,time_zone,skip_reason",
    );
    expect(formatPlanRow(row())).toBe(
      "cyber-week-2026:vip/early_access,gid://shopify/Customer/7,vip,email,false,2026-11-25T15:00:00.000Z,2026-11-25T10:00:00-05:00,America/New_York,",
    );
    expect(
      formatPlanRow(
        row({
          channel: "sms",
          sendAtUtc: null,
          localSendTime: null,
          skipReason: "no_consent",
          holdout: true,
        }),
      ),
    ).toBe(
      "cyber-week-2026:vip/early_access,gid://shopify/Customer/7,vip,sms,true,,,America/New_York,no_consent",
    );
  });
  it("writes ids and zone names read from the input as text a spreadsheet does not run", () => {
    expect(formatPlanRow(row({ customerId: '=HYPERLINK("http://evil.example")', timeZone: "@zone,x" }))).toBe(
      'cyber-week-2026:vip/early_access,"\'=HYPERLINK(""http://evil.example"")",vip,email,false,2026-11-25T15:00:00.000Z,2026-11-25T10:00:00-05:00,"\'@zone,x",',
    );
  });
});

describe("PlanSummary", () => {
  it("counts customers, holdout, rows, sends and reasons per campaign and channel", () => {
    const s = new PlanSummary();
    s.add("c/launch", [
      row({ channel: "sms", skipReason: "no_consent", sendAtUtc: null }),
      row({ holdout: false }),
    ]);
    s.add("c/launch", [row({ channel: "sms", holdout: true, skipReason: "holdout" })]);
    s.add("c/launch", [row({ channel: "sms", skipReason: "no_consent" }), row({ skipReason: "no_consent" })]);
    expect(s.rows).toBe(5);
    expect(s.holdoutShares()).toEqual(new Map([["c/launch", 1 / 3]]));
    expect(s.lines()).toEqual([
      "c/launch: 3 customers, 1 held out (33.33%)",
      "  email: 2 rows, 1 to send, 1 no_consent",
      "  sms: 3 rows, 0 to send, 2 no_consent, 1 holdout",
    ]);
  });
});
