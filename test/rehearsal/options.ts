import { z } from "zod";

// The rehearsal's command line: `npm run rehearse -- --scale 500 --minutes 3`. Pure.

export const RehearsalOptions = z
  .object({
    /** webhooks per second at the peak */
    scale: z.number().positive().max(5_000),
    /** how long the peak lasts */
    minutes: z.number().positive().max(60),
    /** share of checkouts left without an order */
    abandoned: z.number().min(0).max(1).default(0.2),
    /** customers in the generated store */
    customers: z.number().int().min(50).max(1_000_000).default(10_000),
    seed: z.number().int().default(13),
    /** scale: PostgreSQL + BullMQ with worker processes; embedded: PGlite + the database queue in the app */
    mode: z.enum(["scale", "embedded"]).default("scale"),
    /** worker processes in the scale mode */
    workers: z.number().int().min(1).max(8).default(2),
    /** how long the provider answers 429/500 */
    outageSeconds: z.number().min(0).max(600).default(60),
    /** a step or message still open this long after it was due counts as lost */
    settleSeconds: z.number().min(5).max(600).default(60),
    /** no worker kill, no dropped connections, no outage */
    noFaults: z.boolean().default(false),
    /** where the report's JSON and HTML go */
    out: z.string().min(1).default("rehearsal-report"),
    /** the app's DATA_DIR: a copy of the record goes to its rehearsals/, for the Rehearsals page */
    dataDir: z
      .string()
      .min(1)
      .default(process.env.DATA_DIR || "data"),
    /**
     * concurrent deliveries, as Shopify sends them: with few, the rehearsal's own client queues
     * requests and its lag is measured as the app's
     */
    connections: z.number().int().min(1).max(1024).default(256),
  })
  .strict();
export type RehearsalOptions = z.infer<typeof RehearsalOptions>;

const NUMBERS = new Set([
  "scale",
  "minutes",
  "abandoned",
  "customers",
  "seed",
  "workers",
  "outageSeconds",
  "settleSeconds",
  "connections",
]);
const FLAGS = new Set(["noFaults"]);

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Options from `--name value` pairs (and `--no-faults`); every problem in one message. */
export function parseRehearsalArgs(
  argv: readonly string[],
): { ok: true; options: RehearsalOptions } | { ok: false; error: string } {
  const input: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (!arg.startsWith("--")) return { ok: false, error: `unexpected argument "${arg}"` };
    const [flag = "", inline] = arg.slice(2).split("=", 2);
    const name = camel(flag);
    if (FLAGS.has(name)) {
      input[name] = inline === undefined ? true : inline !== "false";
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) return { ok: false, error: `--${flag} needs a value` };
    input[name] = NUMBERS.has(name) ? Number(value) : value;
  }
  const parsed = RehearsalOptions.safeParse(input);
  if (parsed.success) return { ok: true, options: parsed.data };
  return {
    ok: false,
    error: parsed.error.issues
      .map((issue) => {
        const key = issue.path.join(".");
        const flag = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
        return issue.code === "unrecognized_keys"
          ? `unknown option ${issue.keys.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(", ")}`
          : `--${flag}: ${issue.message}`;
      })
      .join("; "),
  };
}
