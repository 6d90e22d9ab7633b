import type { ArmSummary, LiftEstimate, LiftResult } from "../lift";
import { AMOUNT_DECIMALS } from "./audience";

// One group's JSON line. Pure. Written by hand so the keys keep their order and amounts their
// decimals: revenues have the file's precision (62.50 stays 62.50), rates 6 decimals at most.

const RATE_DECIMALS = 6;

/** An integer k as the decimal k / 10^decimals: (-1250, 2) → "-12.50". */
function scaledInteger(k: number, decimals: number): string {
  const digits = String(Math.abs(k)).padStart(decimals + 1, "0");
  const cut = digits.length - decimals;
  return `${k < 0 ? "-" : ""}${digits.slice(0, cut)}${decimals > 0 ? `.${digits.slice(cut)}` : ""}`;
}

/** Half away from zero; 0 never gets a sign. */
function roundHalfAway(x: number): number {
  const k = Math.sign(x) * Math.round(Math.abs(x));
  return k === 0 ? 0 : k;
}

/** 10^-4 units (a fraction of one, an estimate) to `decimals` decimals. */
export function formatAmount(units: number, decimals: number): string {
  return scaledInteger(roundHalfAway(units / 10 ** (AMOUNT_DECIMALS - decimals)), decimals);
}

/** A fraction to 6 decimals, without trailing zeros: 0.175 → "0.175", −0.2207054… → "-0.220705". */
export function formatRate(rate: number): string {
  const text = scaledInteger(roundHalfAway(rate * 10 ** RATE_DECIMALS), RATE_DECIMALS);
  return text.replace(/\.?0+$/, "");
}

function estimate(lift: LiftEstimate, format: (x: number) => string): string {
  const point = lift.estimate === null ? "null" : format(lift.estimate);
  const ci = lift.ci95 === null ? "null" : `[${format(lift.ci95[0])},${format(lift.ci95[1])}]`;
  return `{"estimate":${point},"ci95":${ci}}`;
}

function arm(summary: ArmSummary, decimals: number): string {
  return `{"n":${summary.n},"conversions":${summary.conversions},"revenue":${formatAmount(summary.revenue, decimals)}}`;
}

/** The line of one group; revenues of the result in 10^-4 units, shown with `decimals` decimals. */
export function formatLiftLine(group: string, result: LiftResult, decimals: number): string {
  const money = (x: number) => formatAmount(x, decimals);
  return (
    `{"group":${JSON.stringify(group)},"treated":${arm(result.treated, decimals)},` +
    `"control":${arm(result.control, decimals)},` +
    `"conversion_lift":${estimate(result.conversionLift, formatRate)},` +
    `"revenue_per_recipient_lift":${estimate(result.revenuePerRecipientLift, money)}}`
  );
}
