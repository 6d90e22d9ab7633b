import { describe, expect, it } from "vitest";
import { eventCsvLine, localIso } from "./events-csv";

const row = {
  messageId: "m_1",
  customerId: "7208375255287",
  channel: "sms",
  segment: "price_sensitive",
  sendKey: "launch",
  kind: "ordered",
  machine: false,
  machineReason: null,
  linkId: null,
  firstAt: new Date("2026-07-01T12:00:00.250Z"),
  lastAt: new Date("2026-07-01T12:00:00.250Z"),
  count: 1,
  orderId: "5001",
  model: "click",
  revenueMinor: -1_234n,
};

describe("the events export's lines", () => {
  it("writes an instant on the zone's clock with the offset it had then", () => {
    expect(localIso(new Date("2026-07-01T12:00:00Z"), "America/New_York")).toBe(
      "2026-07-01T08:00:00.000-04:00",
    );
    expect(localIso(new Date("2026-12-01T12:00:00Z"), "America/New_York")).toBe(
      "2026-12-01T07:00:00.000-05:00",
    );
    expect(localIso(new Date("2026-12-01T12:00:00Z"), "Asia/Kolkata")).toBe("2026-12-01T17:30:00.000+05:30");
    expect(localIso(new Date("2026-12-01T23:30:00Z"), "UTC")).toBe("2026-12-01T23:30:00.000+00:00");
  });

  it("writes a credited order's revenue as a plain decimal in the shop's currency, a refund below zero as a number", () => {
    expect(eventCsvLine(row, "Europe/Berlin", "EUR")).toBe(
      "m_1,7208375255287,sms,price_sensitive,launch,ordered,false,,,2026-07-01T12:00:00.250Z,2026-07-01T14:00:00.250+02:00,2026-07-01T12:00:00.250Z,2026-07-01T14:00:00.250+02:00,1,5001,click,-12.34,EUR",
    );
    expect(eventCsvLine({ ...row, revenueMinor: 5_000n }, "UTC", "JPY")).toMatch(/,5001,click,5000,JPY$/);
  });

  it("neutralises a cell a spreadsheet would run as a formula", () => {
    const line = eventCsvLine(
      {
        ...row,
        kind: "opened",
        machine: true,
        machineReason: '=HYPERLINK("x")',
        orderId: null,
        model: null,
        revenueMinor: null,
      },
      "UTC",
      "USD",
    );
    expect(line).toContain(`,opened,true,"'=HYPERLINK(""x"")",`);
    expect(line).toMatch(/,1,,,,$/);
  });
});
