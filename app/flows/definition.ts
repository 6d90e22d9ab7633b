import { z } from "zod";
import { CHANNEL_MODES, CHANNELS, type Channel, type ChannelMode } from "../messaging/rules/channels";
import { SEGMENTS, type Segment } from "../segments/rules";
import { compileSteps } from "./program";

// A flow as data: what starts it, its steps, what ends it early and who may enter again. Stored as
// JSON, so it carries a version; parsed once, and the decision functions trust the result. Pure.

export const TRIGGER_EVENTS = [
  "checkout_activity",
  "marketing_consent_granted",
  "segment_entered",
  "order_placed",
] as const;
export type TriggerEvent = (typeof TRIGGER_EVENTS)[number];

export const EXIT_CONDITIONS = ["order_placed", "unsubscribed", "segment_left"] as const;
export type ExitCondition = (typeof EXIT_CONDITIONS)[number];

/** What a send step shows besides its template: nothing, the checkout's items, or products to cross-sell. */
export const PRODUCT_CHOICES = ["none", "cart", "cross_sell"] as const;
export type ProductChoice = (typeof PRODUCT_CHOICES)[number];

/** The jump target that ends the flow (no step may use it as an id). */
export const END = "end";
/** The longest single wait: a flow that waits longer is a campaign. */
export const MAX_WAIT_MINUTES = 90 * 24 * 60;

const segment = z.enum(SEGMENTS, {
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
    z.object({ is: z.literal("segment_is"), segment }).strict(),
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
const FlowStepSchema: z.ZodType<FlowStep, z.ZodTypeDef, FlowStepInput> = z.lazy(() =>
  z.discriminatedUnion("kind", [WaitStep, WaitUntilStep, SendStep, BranchStepSchema], {
    errorMap: (issue, ctx) =>
      issue.code === "invalid_union_discriminator"
        ? { message: "Step kind must be wait, wait_until, send or branch" }
        : { message: ctx.defaultError },
  }),
);

export const FlowTrigger = z.discriminatedUnion(
  "event",
  [
    z.object({
      event: z.literal("checkout_activity"),
      /** only customers in these segments at entry; absent = everyone */
      filter: z
        .object({ segments: z.array(segment).min(1).optional() })
        .strict()
        .default({}),
    }),
    z.object({
      event: z.literal("marketing_consent_granted"),
      filter: z
        .object({
          channels: z
            .array(z.enum(["email", "sms"]))
            .min(1)
            .default(["email", "sms"]),
        })
        .strict()
        .default({}),
    }),
    z.object({ event: z.literal("segment_entered"), filter: z.object({ segment }).strict() }),
    z.object({
      event: z.literal("order_placed"),
      filter: z
        .object({ segments: z.array(segment).min(1).optional() })
        .strict()
        .default({}),
    }),
  ],
  {
    errorMap: (issue, ctx) =>
      issue.code === "invalid_union_discriminator"
        ? { message: `Trigger event must be one of ${TRIGGER_EVENTS.join(", ")}` }
        : { message: ctx.defaultError },
  },
);
export type FlowTrigger = z.infer<typeof FlowTrigger>;

const Share = z
  .number({ invalid_type_error: "Holdout share must be a number" })
  .min(0, "Holdout share must be from 0 to 0.5 (e.g. 0.1 for 10%)")
  .max(0.5, "Holdout share must be from 0 to 0.5 (e.g. 0.1 for 10%)");

export const DiscountPolicy = z
  .object({
    /** the segments (at send time) that may get the discount */
    offerTo: z
      .array(segment)
      .default([])
      .superRefine((segments, ctx) => {
        segments.forEach((s, i) => {
          if (s === "vip")
            ctx.addIssue({
              code: "custom",
              path: [i],
              message: "VIP customers never get a flow discount: protect margin",
            });
        });
      }),
    code: z.string().trim().min(1).max(255).nullable().default(null),
    percentOff: z.number().int().min(1).max(90).nullable().default(null),
  })
  .strict()
  .refine((d) => d.offerTo.length === 0 || d.code !== null, {
    path: ["code"],
    message: "A discount offered to a segment needs a code",
  });
export type DiscountPolicy = z.infer<typeof DiscountPolicy>;

export const FlowDefinition = z
  .object({
    version: z.literal(1, {
      errorMap: () => ({ message: "Unsupported flow definition version: this app reads version 1" }),
    }),
    key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, "Flow key must be lower-case letters, digits and _"),
    name: z.string().trim().min(1, "Name is required").max(100),
    enabled: z.boolean().default(true),
    trigger: FlowTrigger,
    steps: z.array(FlowStepSchema).min(1, "A flow needs at least one step"),
    exitWhen: z.array(z.enum(EXIT_CONDITIONS)).default([]),
    reEntry: z
      .object({
        /** at most one entry per customer in this many days (any trigger entity); null: no limit */
        minDaysBetween: z.number().int().min(1).max(3650).nullable().default(null),
      })
      .strict()
      .default({}),
    holdoutShare: Share.default(0.1),
    /** false: its messages neither count toward the shared frequency caps nor are held back by them */
    countsTowardCaps: z.boolean().default(true),
    discount: DiscountPolicy.default({}),
  })
  .strict()
  .superRefine((flow, ctx) => {
    const program = compileSteps(flow.steps);
    for (const issue of program.issues)
      ctx.addIssue({ code: "custom", path: ["steps", ...issue.path], message: issue.message });
    if (flow.exitWhen.includes("segment_left") && flow.trigger.event !== "segment_entered")
      ctx.addIssue({
        code: "custom",
        path: ["exitWhen", flow.exitWhen.indexOf("segment_left")],
        message: "segment_left needs a segment_entered trigger (which segment would be left?)",
      });
    if (flow.trigger.event !== "checkout_activity")
      for (const { step, path } of program.instructions)
        if (step.kind === "send" && step.products === "cart")
          ctx.addIssue({
            code: "custom",
            path: ["steps", ...path, "products"],
            message: "Cart items need a checkout_activity trigger",
          });
  });
export type FlowDefinition = z.infer<typeof FlowDefinition>;
export type FlowDefinitionInput = z.input<typeof FlowDefinition>;

export interface FlowIssue {
  /** where, as a dotted path: "steps.2.then.0.minutes"; "" for the whole definition */
  path: string;
  message: string;
}

/**
 * A branch arm is a list or a jump; zod reports a bad one as "invalid union" at the arm. The
 * alternative that was meant (the one that got past the arm's own type) says what is wrong inside.
 */
function meant(issue: z.ZodIssue): z.ZodIssue[] {
  if (issue.code !== "invalid_union") return [issue];
  const atArm = (i: z.ZodIssue) => i.code === "invalid_type" && i.path.length === issue.path.length;
  const chosen = issue.unionErrors.find((e) => !e.issues.some(atArm));
  if (!chosen) return [{ ...issue, message: 'A branch arm is a list of steps or { "goto": "<step id>" }' }];
  return chosen.issues.flatMap(meant);
}

export function parseFlowDefinition(
  input: unknown,
): { ok: true; flow: FlowDefinition } | { ok: false; issues: FlowIssue[] } {
  const r = FlowDefinition.safeParse(input);
  if (r.success) return { ok: true, flow: r.data };
  return {
    ok: false,
    issues: r.error.issues.flatMap(meant).map((i) => ({ path: i.path.join("."), message: i.message })),
  };
}

/** "steps.0.minutes: Wait must be …; trigger.event: …": every problem on one line. */
export function describeFlowIssues(issues: readonly FlowIssue[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
}

export type { Channel, ChannelMode, Segment };
