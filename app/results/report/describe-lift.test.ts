import { describe, expect, it } from "vitest";
import type { LiftResult } from "../lift";
import { describeLift } from "./describe-lift";

// Hand-made results (not computed): the card's words are checked against what a merchant should read.

const money = (minor: number) => `$${(minor / 100).toFixed(2)}`;
const arm = (n: number, conversions: number, revenue: number) => ({
  n,
  conversions,
  revenue,
  conversionRate: n > 0 ? conversions / n : null,
  revenuePerRecipient: n > 0 ? revenue / n : null,
});
const none = { estimate: null, ci95: null };

describe("describeLift", () => {
  it("says the difference and its interval in points when the interval excludes no change", () => {
    const result: LiftResult = {
      treated: arm(9_000, 540, 4_500_000),
      control: arm(1_000, 48, 380_000),
      conversionLift: { estimate: 0.012, ci95: [0.004, 0.02] },
      revenuePerRecipientLift: { estimate: 120, ci95: [40, 210] },
      incrementalOrders: { estimate: 108, ci95: [36, 180] },
      incrementalRevenue: { estimate: 1_080_000, ci95: [360_000, 1_890_000] },
      verdict: { verdict: "enough data" },
    };
    expect(describeLift(result, money)).toEqual({
      state: "enough",
      headline: "+1.2 points, between +0.4 and +2.0; 95% confidence",
      lines: [
        "Ordered within the window: 6.0% of 9,000 sent to, 4.8% of 1,000 held out.",
        "Revenue per recipient +$1.20, between +$0.40 and +$2.10.",
        "About 108 orders (36 to 180) and +$10800.00 in sales would not have happened without the messages.",
      ],
    });
  });

  it("says it is not known yet, and how many customers it would take", () => {
    const result: LiftResult = {
      treated: arm(900, 27, 0),
      control: arm(100, 2, 0),
      conversionLift: { estimate: 0.01, ci95: [-0.021, 0.025] },
      revenuePerRecipientLift: none,
      incrementalOrders: none,
      incrementalRevenue: none,
      verdict: {
        verdict: "not enough data yet",
        recipientsNeededPerArm: 3_140,
        sizedFor: "observed difference",
      },
    };
    const card = describeLift(result, money);
    expect(card.state).toBe("waiting");
    expect(card.headline).toBe("Not enough data yet");
    expect(card.lines[0]).toBe(
      "So far +1.0 points, between −2.1 and +2.5: the interval still includes no change.",
    );
    expect(card.lines.at(-1)).toBe(
      "To tell a difference this size, about 3,140 customers per group are needed (95% confidence, 80% power).",
    );
  });

  it("asks for a holdout when nobody was held out", () => {
    const result: LiftResult = {
      treated: arm(500, 10, 0),
      control: arm(0, 0, 0),
      conversionLift: none,
      revenuePerRecipientLift: none,
      incrementalOrders: none,
      incrementalRevenue: none,
      verdict: { verdict: "not enough data yet", recipientsNeededPerArm: null, sizedFor: null },
    };
    expect(describeLift(result, money)).toEqual({
      state: "none",
      headline: "No holdout to compare with",
      lines: ["Lift needs customers held back: give it a holdout share (10% is usual)."],
    });
  });
});
