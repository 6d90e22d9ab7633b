import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { complaintPauseReason, complaintRateTooHigh } from "./complaint-rate";

describe("complaintRateTooHigh", () => {
  it("pauses above 0.1%, never for one complaint", () => {
    expect(complaintRateTooHigh({ sent: 100, complaints: 1 })).toBe(false);
    expect(complaintRateTooHigh({ sent: 100, complaints: 2 })).toBe(true);
    expect(complaintRateTooHigh({ sent: 10_000, complaints: 10 })).toBe(false);
    expect(complaintRateTooHigh({ sent: 10_000, complaints: 11 })).toBe(true);
    expect(complaintPauseReason({ sent: 10_000, complaints: 11 })).toBe(
      "Paused automatically: 11 spam complaints for 10,000 emails sent (0.11%) is above 0.1%. Check the audience and the content before resuming.",
    );
  });

  it("property: never at or below the limit, and more complaints never un-pause", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (sent, complaints) => {
          const high = complaintRateTooHigh({ sent, complaints });
          if (complaints * 1000 <= sent) expect(high).toBe(false);
          if (high) expect(complaintRateTooHigh({ sent, complaints: complaints + 1 })).toBe(true);
          if (complaints < 2) expect(high).toBe(false);
        },
      ),
    );
  });
});
