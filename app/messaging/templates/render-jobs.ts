import { z } from "zod";
import { MessageTemplate } from "./message-template";
import { TemplateVariables } from "./variables";

// What the web process and the render pool's threads say to each other (render-pool.server.ts,
// render-worker.server.ts), checked on both sides of the thread boundary. Pure.

export const RenderTask = z.discriminatedUnion("kind", [
  /** renderMessage: one template with one set of variables */
  z.object({ kind: z.literal("render"), template: MessageTemplate, variables: TemplateVariables }),
  /** checkRenders: where the template fails with any of the sample variable sets */
  z.object({
    kind: z.literal("check"),
    template: MessageTemplate,
    cases: z.array(z.object({ variables: TemplateVariables, suffix: z.string() })).min(1).max(10),
  }),
]);
export type RenderTask = z.infer<typeof RenderTask>;

export const RenderJob = z.object({ id: z.number().int(), task: RenderTask });
export type RenderJob = z.infer<typeof RenderJob>;

const TemplatePart = z.enum(["subject", "html", "text", "sms"]);
export const TemplateErrorSchema = z.object({
  part: TemplatePart,
  line: z.number(),
  column: z.number(),
  message: z.string(),
});

export const RenderResultSchema = z.union([
  z.object({
    ok: z.literal(true),
    message: z.union([
      z.object({ channel: z.literal("email"), subject: z.string(), html: z.string(), text: z.string() }),
      z.object({
        channel: z.literal("sms"),
        body: z.string(),
        sms: z.object({ encoding: z.enum(["GSM-7", "UCS-2"]), characters: z.number(), segments: z.number() }),
      }),
    ]),
  }),
  z.object({ ok: z.literal(false), errors: z.array(TemplateErrorSchema) }),
]);

export const WorkerReply = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ready") }),
  z.object({ type: z.literal("part"), id: z.number(), part: z.string() }),
  z.object({ type: z.literal("rendered"), id: z.number(), result: RenderResultSchema }),
  z.object({ type: z.literal("checked"), id: z.number(), errors: z.array(TemplateErrorSchema) }),
  z.object({ type: z.literal("failed"), id: z.number(), message: z.string() }),
]);
export type WorkerReply = z.infer<typeof WorkerReply>;
