import { z } from "zod";
import type { LineResult } from "../backfill/parse-lines";

// One line of a bulk mutation's result file: `{"data": …, "__lineNumber": n}`, with `errors` when
// that line's execution failed. n is the 0-based line of the variables file; Shopify may write the
// lines in any order, so callers index by it. A reason never quotes the line (it may hold data).

export interface BulkResultLine {
  lineNumber: number;
  data: unknown;
  errors: unknown;
}

const Line = z.object({
  __lineNumber: z.number().int().nonnegative(),
  data: z.unknown().optional(),
  errors: z.unknown().optional(),
});

export function parseResultLine(text: string, line: number): LineResult<BulkResultLine> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: "error", line, reason: "not JSON" };
  }
  const parsed = Line.safeParse(value);
  if (!parsed.success) return { kind: "error", line, reason: "not a bulk mutation result (no __lineNumber)" };
  return {
    kind: "row",
    row: {
      lineNumber: parsed.data.__lineNumber,
      data: parsed.data.data ?? null,
      errors: parsed.data.errors ?? null,
    },
  };
}
