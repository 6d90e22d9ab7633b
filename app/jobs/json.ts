import { z } from "zod";
import { canonicalJson } from "./definitions";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

const JsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(JsonValueSchema),
    z.record(JsonValueSchema),
  ]),
);

/** A validated payload as the plain JSON that is stored (no Dates, undefineds or class instances). */
export function toJson(value: unknown): JsonValue {
  return JsonValueSchema.parse(JSON.parse(canonicalJson(value)));
}

/** Stored JSON text back to a value; the payload schema validates it next. */
export function fromJsonText(text: string): unknown {
  return JsonValueSchema.parse(JSON.parse(text));
}
