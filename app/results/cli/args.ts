import { parseArgs } from "node:util";
import { z } from "zod";

// Command-line arguments of `lift`. Pure: argv comes in, options or a message go out.

export const LIFT_USAGE = `Usage: npm run cli -- lift --in FILE [--group-by COLUMN] [--seed N]

The holdout lift of a campaign: for each group of recipients, treated (sent to) against control
(held out), the difference in conversion rate and in revenue per recipient, each with a 95%
interval. Conversion: Newcombe's hybrid score interval. Revenue per recipient: a percentile
bootstrap of 2,000 resamples of each arm, drawn from a seeded generator.

Required:
  --in FILE            CSV with a header naming at least customer_id, holdout, converted and
                       revenue, in any order, and any other columns: holdout and converted 0 or
                       1, revenue a decimal amount with at most 4 decimals (12.50, 0, -3.2);
                       RFC 4180 quoting; each customer_id once
Options:
  --group-by COLUMN    one line per value of this column (another column of the header);
                       default: one line, "group": "all"
  --seed N             the bootstrap's seed, an integer from 0 to 4294967295; default 1. The same
                       file and seed give the same bytes
  -h, --help           this text

Output: one JSON object a line, groups sorted by name (as strings, like \`LC_ALL=C sort\`):
  {"group":"all","treated":{"n":…,"conversions":…,"revenue":…},"control":{…},
   "conversion_lift":{"estimate":…,"ci95":[lo,hi]},"revenue_per_recipient_lift":{"estimate":…,"ci95":[lo,hi]}}
Lifts are treated − control. Conversion lifts are fractions (0.0123 is 1.23 points), rounded to 6
decimals; revenues are amounts with as many decimals as the most precise revenue of the file, the
lift per recipient rounded to them (half away from zero). A group with an empty arm has
"estimate": null and "ci95": null. A summary goes to standard error.

Exit codes: 0 done; 2 usage error or bad input (a missing column, a holdout or converted that is
not 0 or 1, a bad amount, a duplicate customer_id, a file that cannot be read): one line on
standard error, FILE:LINE: column: reason, and no output.
`;

export interface LiftCliOptions {
  in: string;
  groupBy: string | null;
  seed: number;
}

export type ParsedLiftArgs =
  { kind: "help" } | { kind: "usage-error"; message: string } | { kind: "run"; options: LiftCliOptions };

const Strings = z.object({
  in: z.string({ required_error: "--in FILE is required" }).min(1, "--in needs a file"),
  "group-by": z.string().min(1, "--group-by needs a column name").optional(),
  seed: z
    .string()
    .regex(/^\d{1,10}$/, "--seed must be an integer from 0 to 4294967295")
    .transform(Number)
    .refine((n) => n <= 4294967295, "--seed must be an integer from 0 to 4294967295")
    .optional(),
});

export function parseLiftArgs(argv: readonly string[]): ParsedLiftArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        in: { type: "string" },
        "group-by": { type: "string" },
        seed: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { kind: "usage-error", message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help === true) return { kind: "help" };
  const strings = Strings.safeParse(values);
  if (!strings.success) {
    return { kind: "usage-error", message: strings.error.issues.map((i) => i.message).join("; ") };
  }
  const s = strings.data;
  return { kind: "run", options: { in: s.in, groupBy: s["group-by"] ?? null, seed: s.seed ?? 1 } };
}
