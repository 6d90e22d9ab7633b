import { z } from "zod";
import { CHANNEL_MODES, CHANNELS } from "../messaging/rules/channels";
import { SEGMENTS } from "../segments/rules";

// A flow's steps as data: wait a while, wait until a local time, send, or branch on a condition.
// A branch's arms are lists of steps (that then go on after the branch) or a jump forward. Pure.

/** What a send step shows besides its template: nothing, the checkout's items, or products to cross-sell. */
export const PRODUCT_CHOICES = ["none", "cart", "cross_sell"] as const;
export type ProductChoice = (typeof PRODUCT_CHOICES)[number];

/** The jump target that ends the flow (no step may use it as an id). */
export const END = "end";
/** The longest single wait: a flow that waits longer is a campaign. */
export const MAX_WAIT_MINUTES = 90 * 24 * 60;

export const SegmentName = z.enum(SEGMENTS, {
  errorMap: () => ({ message: `Segment must be one of ${SEGMENTS.join(", ")}` }),
});
const channel = z.enum(CHANNELS, {
  errorMap: () => ({ message: `Channel must be one of ${CHANNELS.join(", ")}` }),
});

const StepId = z
  .string({ required_error: "Step id is required", invalid_type_error: "Step id must be text" })
  .regex(
    /^[a-z][a-z0-9_]{0,39}$/,
    "Step id must be lower-case letters, digits and _ (up to 40), starting with a letter",
  )
  .refine((id) => id !== END, `"${END}" is reserved for jumps that end the flow`);

export const TemplateKey = z
  .string({ required_error: "Template is required", invalid_type_error: "Template must be text" })
  .regex(
    /^[a-z0-9][a-z0-9_.-]{0,63}$/,
    'Template must be a key like "abandoned_checkout.first" (a-z, 0-9, _ . -)',
  );

const LocalTime = z
  .string({ invalid_type_error: 'Local time must be text like "10:00"' })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Local time must be from 00:00 to 23:59, like "10:00"');

export const Condition = z.discriminatedUnion(
  "is",
  [
    z.object({ is: z.literal("ordered_since_trigger") }).strict(),
    z.object({ is: z.literal("segment_is"), segment: SegmentName }).strict(),
    z.object({ is: z.literal("has_sms_consent") }).strict(),
    z.object({ is: z.literal("has_email_consent") }).strict(),
  ],
  {
    errorMap: (issue, ctx) =>
      issue.code === "invalid_union_discriminator"
        ? {
            message:
              "Condition must be ordered_since_trigger, segment_is, has_sms_consent or has_email_consent",
          }
        : { message: ctx.defaultError },
  },
);
export type Condition = z.infer<typeof Condition>;

export const WaitStep = z
  .object({
    id: StepId,
    kind: z.literal("wait"),
    minutes: z
      .number({ invalid_type_error: "Wait must be a number of minutes" })
      .int("Wait must be a whole number of minutes")
      .min(0, "Wait must be 0 minutes or more")
      .max(MAX_WAIT_MINUTES, `Wait must be at most ${MAX_WAIT_MINUTES} minutes (90 days)`),
  })
  .strict();
export type WaitStep = z.infer<typeof WaitStep>;

/** Wait until the next time the customer's clock (the shop's when unknown) reads `localTime`. */
export const WaitUntilStep = z
  .object({ id: StepId, kind: z.literal("wait_until"), localTime: LocalTime })
  .strict();
export type WaitUntilStep = z.infer<typeof WaitUntilStep>;

export const SendStep = z
  .object({
    id: StepId,
    kind: z.literal("send"),
    /** the merchant's order of preference (see channelMode) */
    channels: z
      .array(channel)
      .min(1, "A send needs at least one channel")
      .refine((c) => new Set(c).size === c.length, "Each channel may appear once"),
    channelMode: z.enum(CHANNEL_MODES).default("first"),
    template: TemplateKey,
    products: z.enum(PRODUCT_CHOICES).default("none"),
    /** how many cross-sell products at most */
    maxProducts: z.number().int().min(1).max(12).default(3),
    /** offer the flow's discount here, to the segments its policy allows */
    offerDiscount: z.boolean().default(false),
  })
  .strict();
export type SendStep = z.infer<typeof SendStep>;

const Jump = z.object({ goto: z.string({ invalid_type_error: "goto must be a step id" }) }).strict();
export type Jump = z.infer<typeof Jump>;

export interface BranchStep {
  id: string;
  kind: "branch";
  if: Condition;
  /** a list of steps that then continue after the branch, or a jump forward (or to "end") */
  then: FlowStep[] | Jump;
  else: FlowStep[] | Jump;
}
export type FlowStep = WaitStep | WaitUntilStep | SendStep | BranchStep;

type BranchStepInput = Omit<BranchStep, "then" | "else"> & {
  then?: FlowStepInput[] | Jump;
  else?: FlowStepInput[] | Jump;
};
type FlowStepInput =
  z.input<typeof WaitStep> | z.input<typeof WaitUntilStep> | z.input<typeof SendStep> | BranchStepInput;

const Steps: z.ZodType<FlowStep[], z.ZodTypeDef, FlowStepInput[]> = z.lazy(() => z.array(FlowStepSchema));
const Arm = z.union([Steps, Jump]);
const BranchStepSchema = z
  .object({
    id: StepId,
    kind: z.literal("branch"),
    if: Condition,
    then: Arm.default([]),
    else: Arm.default([]),
  })
  .strict();
export const FlowStepSchema: z.ZodType<FlowStep, z.ZodTypeDef, FlowStepInput> = z.lazy(() =>
  z.discriminatedUnion("kind", [WaitStep, WaitUntilStep, SendStep, BranchStepSchema], {
    errorMap: (issue, ctx) =>
      issue.code === "invalid_union_discriminator"
        ? { message: "Step kind must be wait, wait_until, send or branch" }
        : { message: ctx.defaultError },
  }),
);
