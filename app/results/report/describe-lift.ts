import type { LiftEstimate, LiftResult } from "../lift";

// The lift card's words: the difference the messages made, with its 95% interval, in the terms a
// merchant reads ("+1.2 points, between +0.4 and +2.0"), or why it is not known yet. Pure; money
// is formatted by the caller (the shop's currency).

export interface LiftCard {
  /** enough: the interval excludes no change; waiting: it does not yet; none: nothing to compare */
  state: "enough" | "waiting" | "none";
  headline: string;
  lines: string[];
}

const SIGNED = new Intl.NumberFormat("en-US", {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
  signDisplay: "exceptZero",
});
const COUNT = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const PERCENT = new Intl.NumberFormat("en-US", {
  style: "percent",
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

/** A difference of two rates in percentage points, signed: "+1.2", "−0.4". */
export const points = (fraction: number) => SIGNED.format(fraction * 100).replace("-", "−");

function signedMoney(minor: number, money: (minor: number) => string): string {
  const rounded = Math.round(minor);
  if (rounded === 0) return money(0);
  return rounded > 0 ? `+${money(rounded)}` : `−${money(-rounded)}`;
}

function between(lift: LiftEstimate, format: (value: number) => string): string {
  return lift.ci95 ? `between ${format(lift.ci95[0])} and ${format(lift.ci95[1])}` : "";
}

export function describeLift(result: LiftResult, money: (minor: number) => string): LiftCard {
  const { treated, control, conversionLift: conversion } = result;
  if (treated.n === 0 || control.n === 0 || conversion.estimate === null) {
    return {
      state: "none",
      headline: control.n === 0 ? "No holdout to compare with" : "Nobody was sent this yet",
      lines: [
        control.n === 0
          ? "Lift needs customers held back: give it a holdout share (10% is usual)."
          : `${COUNT.format(control.n)} customers are held out; lift shows once messages go out.`,
      ],
    };
  }
  const rates = `Ordered within the window: ${PERCENT.format(treated.conversionRate ?? 0)} of ${COUNT.format(treated.n)} sent to, ${PERCENT.format(control.conversionRate ?? 0)} of ${COUNT.format(control.n)} held out.`;
  const revenue = result.revenuePerRecipientLift;
  const revenueLine =
    revenue.estimate === null
      ? null
      : `Revenue per recipient ${signedMoney(revenue.estimate, money)}, ${between(revenue, (v) => signedMoney(v, money))}.`;
  if (result.verdict.verdict === "enough data") {
    const orders = result.incrementalOrders;
    const extra = result.incrementalRevenue;
    return {
      state: "enough",
      headline: `${points(conversion.estimate)} points, ${between(conversion, points)}; 95% confidence`,
      lines: [
        rates,
        ...(revenueLine ? [revenueLine] : []),
        ...(orders.estimate !== null && orders.ci95
          ? [
              `About ${COUNT.format(orders.estimate)} orders (${COUNT.format(orders.ci95[0])} to ${COUNT.format(orders.ci95[1])})${
                extra.estimate !== null ? ` and ${signedMoney(extra.estimate, money)} in sales` : ""
              } would not have happened without the messages.`,
            ]
          : []),
      ],
    };
  }
  const needed = result.verdict.recipientsNeededPerArm;
  return {
    state: "waiting",
    headline: "Not enough data yet",
    lines: [
      `So far ${points(conversion.estimate)} points, ${between(conversion, points)}: the interval still includes no change.`,
      rates,
      ...(revenueLine ? [revenueLine] : []),
      needed === null
        ? "Nobody in either group has ordered yet."
        : `To tell a difference this size, about ${COUNT.format(needed)} customers per group are needed (95% confidence, 80% power).`,
    ],
  };
}
