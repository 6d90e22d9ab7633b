import { describe, expect, it } from "vitest";
import { DEFAULT_AUDIENCE_SETTINGS } from "../../messaging/rules/settings";
import { describeAudienceRules } from "./describe-rules";

describe("describeAudienceRules", () => {
  it("says the defaults in a merchant's words", () => {
    expect(describeAudienceRules(DEFAULT_AUDIENCE_SETTINGS)).toEqual([
      "Holdout: 10% of the audience gets nothing, to measure the lift.",
      "Per customer across campaigns — email: at most one every 16 h; SMS: at most one every 24 h; webhook: no cap.",
      "SMS only 08:00–21:00 in the customer's time zone; stricter: US-FL, US-OK, US-WA 08:00–20:00.",
    ]);
  });

  it("groups states by their hours and says when there is no holdout", () => {
    const rules = describeAudienceRules({
      ...DEFAULT_AUDIENCE_SETTINGS,
      holdoutShare: 0,
      stateQuietHours: {
        "US-TX": { start: "09:00", end: "20:00" },
        "CA-QC": { start: "09:00", end: "20:00" },
      },
    });
    expect(rules[0]).toBe("Holdout: none (no lift can be measured).");
    expect(rules[2]).toBe(
      "SMS only 08:00–21:00 in the customer's time zone; stricter: CA-QC, US-TX 09:00–20:00.",
    );
  });
});
