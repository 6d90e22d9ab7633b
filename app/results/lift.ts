import { z } from "zod";
import { bootstrapMeanDifference } from "./bootstrap";
import { newcombeDifference } from "./newcombe";
import { seededRng } from "./random";
import { recipientsPerArm } from "./sample-size";

// Holdout lift of one group of recipients: treated (sent to) against control (held out). Pure:
// the bootstrap's randomness comes from the seed it is handed. Money in, integer minor units;
// money out (per recipient, incremental), fractional minor units: estimates, not amounts to store.

const Count = z.number().int().nonnegative().safe();

/** One arm: its recipients, how many converted, and the revenue of those whose revenue is not 0. */
export const ArmInput = z
  .object({
    n: Count,
    conversions: Count,
    /** Integer minor units, none 0: the other n − length recipients had no revenue. */
    nonzeroRevenues: z.array(
      z
        .number()
        .int()
        .safe()
        .refine((v) => v !== 0, "leave revenues of 0 out"),
    ),
  })
  .superRefine((arm, ctx) => {
    const problem = (message: string) => ctx.addIssue({ code: "custom", message });
    if (arm.conversions > arm.n) problem("more conversions than recipients");
    if (arm.nonzeroRevenues.length > arm.n) problem("more revenues than recipients");
    const magnitude = arm.nonzeroRevenues.reduce((sum, v) => sum + Math.abs(v), 0);
    if (!Number.isSafeInteger(magnitude)) problem("revenue total too large");
  });
export type ArmInput = z.infer<typeof ArmInput>;

export const LiftInput = z.object({ treated: ArmInput, control: ArmInput });
export type LiftInput = z.infer<typeof LiftInput>;

export const LiftOptions = z.object({
  /** An integer in [0, 2^32): the same seed gives the same intervals. */
  seed: z.number().int().min(0).max(4294967295).default(1),
  resamples: z.number().int().min(1000).max(1_000_000).default(2000),
});
export type LiftOptions = z.input<typeof LiftOptions>;

export const ArmSummary = z.object({
  n: Count,
  conversions: Count,
  /** Total, integer minor units. */
  revenue: z.number().int().safe(),
  /** conversions / n; null when n = 0. */
  conversionRate: z.number().nullable(),
  /** revenue / n in minor units; null when n = 0. */
  revenuePerRecipient: z.number().nullable(),
});
export type ArmSummary = z.infer<typeof ArmSummary>;

/** A difference treated − control; both fields null (never NaN) when either arm is empty. */
export const LiftEstimate = z.object({
  estimate: z.number().nullable(),
  ci95: z.tuple([z.number(), z.number()]).nullable(),
});
export type LiftEstimate = z.infer<typeof LiftEstimate>;

export const LiftVerdict = z.discriminatedUnion("verdict", [
  /** The conversion interval excludes 0. */
  z.object({ verdict: z.literal("enough data") }),
  z.object({
    verdict: z.literal("not enough data yet"),
    /** Recipients per arm for 80% power at α = 0.05; null when there is no rate to size from. */
    recipientsNeededPerArm: z.number().int().positive().nullable(),
    /** The observed rates, or the baseline (control's rate, treated's when control is empty) and 1.1 × it. */
    sizedFor: z.enum(["observed difference", "10% relative lift"]).nullable(),
  }),
]);
export type LiftVerdict = z.infer<typeof LiftVerdict>;

export const LiftResult = z.object({
  treated: ArmSummary,
  control: ArmSummary,
  /** Conversion rate difference, a fraction; Newcombe's hybrid score interval. */
  conversionLift: LiftEstimate,
  /** Revenue per recipient difference in minor units; a percentile bootstrap interval. */
  revenuePerRecipientLift: LiftEstimate,
  /** conversionLift × treated recipients. */
  incrementalOrders: LiftEstimate,
  /** revenuePerRecipientLift × treated recipients, minor units. */
  incrementalRevenue: LiftEstimate,
  verdict: LiftVerdict,
});
export type LiftResult = z.infer<typeof LiftResult>;

const NONE: LiftEstimate = { estimate: null, ci95: null };

function summary(arm: ArmInput): ArmSummary {
  const revenue = arm.nonzeroRevenues.reduce((sum, v) => sum + v, 0);
  return {
    n: arm.n,
    conversions: arm.conversions,
    revenue,
    conversionRate: arm.n > 0 ? arm.conversions / arm.n : null,
    revenuePerRecipient: arm.n > 0 ? revenue / arm.n : null,
  };
}

function scaled(lift: LiftEstimate, by: number): LiftEstimate {
  if (lift.estimate === null || lift.ci95 === null) return NONE;
  return { estimate: lift.estimate * by, ci95: [lift.ci95[0] * by, lift.ci95[1] * by] };
}

/** "enough data" when the conversion interval excludes 0, else what it would take. */
export function verdictFor(
  treated: ArmSummary,
  control: ArmSummary,
  conversionLift: LiftEstimate,
): LiftVerdict {
  const ci = conversionLift.ci95;
  if (ci && (ci[0] > 0 || ci[1] < 0)) return { verdict: "enough data" };
  const pT = treated.conversionRate;
  const pC = control.conversionRate;
  if (pT !== null && pC !== null && pT !== pC) {
    return {
      verdict: "not enough data yet",
      recipientsNeededPerArm: recipientsPerArm(pT, pC),
      sizedFor: "observed difference",
    };
  }
  const baseline = pC ?? pT;
  if (baseline === null || baseline === 0) {
    return { verdict: "not enough data yet", recipientsNeededPerArm: null, sizedFor: null };
  }
  const target = baseline * 1.1 <= 1 ? baseline * 1.1 : baseline * 0.9;
  return {
    verdict: "not enough data yet",
    recipientsNeededPerArm: recipientsPerArm(target, baseline),
    sizedFor: "10% relative lift",
  };
}

/** The lift of one group: rates, differences with their 95% intervals, incremental totals, verdict. */
export function computeLift(input: LiftInput, options: LiftOptions = {}): LiftResult {
  const { treated, control } = LiftInput.parse(input);
  const { seed, resamples } = LiftOptions.parse(options);
  const t = summary(treated);
  const c = summary(control);
  const bothArms = treated.n > 0 && control.n > 0;

  const conversionLift: LiftEstimate = bothArms
    ? newcombeDifference(treated.conversions, treated.n, control.conversions, control.n)
    : NONE;
  const revenuePerRecipientLift: LiftEstimate = bothArms
    ? bootstrapMeanDifference(
        { n: treated.n, nonzero: treated.nonzeroRevenues },
        { n: control.n, nonzero: control.nonzeroRevenues },
        { resamples, treatedRng: seededRng(seed, 0), controlRng: seededRng(seed, 1) },
      )
    : NONE;

  return {
    treated: t,
    control: c,
    conversionLift,
    revenuePerRecipientLift,
    incrementalOrders: scaled(conversionLift, treated.n),
    incrementalRevenue: scaled(revenuePerRecipientLift, treated.n),
    verdict: verdictFor(t, c, conversionLift),
  };
}
