import { z } from "zod";
import type { Channel, ChannelMode } from "../messaging/rules/channels";
import type { Segment } from "../segments/rules";
import { compileSteps } from "./program";
import { FlowStepSchema, SegmentName as segment } from "./steps";

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
export {
  Condition,
  END,
  MAX_WAIT_MINUTES,
  PRODUCT_CHOICES,
  SendStep,
  TemplateKey,
  WaitStep,
  WaitUntilStep,
  type BranchStep,
  type FlowStep,
  type Jump,
  type ProductChoice,
} from "./steps";
