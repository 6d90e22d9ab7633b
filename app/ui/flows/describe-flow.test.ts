import { describe, expect, it } from "vitest";
import { DEFAULT_FLOW_SETTINGS, withPeakPreset } from "../../flows/settings";
import { customerIdOf } from "./customer-id";
import { describeSteps, formatMinutes } from "./describe-flow";

describe("flows in the merchant's words", () => {
  it("write durations in the largest whole unit", () => {
    expect([15, 30, 60, 90, 120, 1440, 2160, 2880, 10080].map(formatMinutes)).toEqual([
      "15 minutes",
      "30 minutes",
      "1 hour",
      "1 hour 30 minutes",
      "2 hours",
      "1 day",
      "36 hours",
      "2 days",
      "7 days",
    ]);
  });

  it("list the abandoned checkout's steps with the shop's delays and who gets the code", () => {
    const lines = (s = DEFAULT_FLOW_SETTINGS) =>
      describeSteps("abandoned_checkout", s.abandoned_checkout).map((l) => l.text);
    expect(lines()).toEqual([
      "Wait 1 hour",
      'Send "First message" by email or SMS (the first the customer accepts)',
      "Wait 1 day",
      'Send "First reminder" by email or SMS (the first the customer accepts), with the code COMEBACK10 for price-sensitive customers',
      "Wait 2 days",
      'Send "Last reminder" by email or SMS (the first the customer accepts), with the code COMEBACK10 for price-sensitive customers',
    ]);
    expect(lines(withPeakPreset(DEFAULT_FLOW_SETTINGS))[0]).toBe("Wait 30 minutes");
  });

  it("say where a branch stops and when a local time is waited for", () => {
    expect(describeSteps("welcome", DEFAULT_FLOW_SETTINGS.welcome).map((l) => l.text)).toEqual([
      'Send "Welcome" by email or SMS (the first the customer accepts)',
      "Wait 3 days",
      "Stop if they have ordered since",
      'Send "Second welcome" by email or SMS (the first the customer accepts)',
    ]);
    expect(describeSteps("win_back", DEFAULT_FLOW_SETTINGS.win_back).map((l) => l.text)).toEqual([
      "Wait until 10:00 on the customer's clock",
      'Send "Delivery promise" by email',
      "Wait 7 days",
      'Send "Reminder" by email',
    ]);
  });

  it("read a customer id as typed", () => {
    expect(customerIdOf(" 7208375255287 ")).toBe(7208375255287n);
    expect(customerIdOf("gid://shopify/Customer/42")).toBe(42n);
    expect(customerIdOf("9223372036854775808")).toBeNull();
    expect(["", "abc", "12 34", "gid://shopify/Order/42", "-1"].map(customerIdOf)).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
  });
});
