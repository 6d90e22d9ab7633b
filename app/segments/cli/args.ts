import { parseArgs } from "node:util";
import { z } from "zod";
import { readNumberText } from "../../forms/number-text";
import { SegmentThresholds } from "../rules";

// Command-line arguments of `segments`. Pure: argv and "now" come in, options or a message go out.

export const SEGMENTS_USAGE = `Usage: npm run cli -- segments --customers FILE --orders FILE [options]

Computes every customer's RFM scores and primary segment from bulk JSONL files (one object per
line, Admin API field names, as the app's bulk queries export them) and writes a CSV.

Required:
  --customers FILE            customers JSONL: an "id" per line; other fields are not needed
  --orders FILE               orders JSONL with the fields the definition below names: id, createdAt,
                              cancelledAt, test, customer, currentTotalPriceSet, totalDiscountsSet
                              (the bulk export's other fields, like updatedAt and discountCodes,
                              may be there or not). A line of each:
    {"id":"gid://shopify/Customer/7"}
    {"id":"gid://shopify/Order/1","createdAt":"2026-11-01T10:00:00Z","cancelledAt":null,"test":false,"customer":{"id":"gid://shopify/Customer/7"},"currentTotalPriceSet":{"shopMoney":{"amount":"12.50","currencyCode":"USD"}},"totalDiscountsSet":{"shopMoney":{"amount":"0.0","currencyCode":"USD"}}}
Options:
  --as-of TIME                T, an ISO 8601 time with a zone (2026-11-20T00:00:00Z) or a date
                              (UTC midnight); default: now
  --out FILE                  where the CSV goes; default: standard output
  --strict                    stop at the first bad line (exit 1) instead of skipping it
  --currency CODE             the shop currency; default: the currency of the first order.
                              An order in another currency is bad input ("unknown currency mix").
  --lapsed-after-days N       default 180
  --vip-min-f N               default 4
  --vip-min-m N               default 4
  --vip-min-orders N          default 2
  --price-sensitive-share X   default 0.5
  --recent-within-days N      default 30
  -h, --help                  this text

Definition: counted orders are test = false, cancelledAt = null, customer set, createdAt ≤ T.
recency_days = floor((T − newest counted order) / 1 day); frequency = counted orders; monetary =
their currentTotalPriceSet in shop money; discount_share = orders with totalDiscountsSet > 0 /
frequency. Among the n customers with frequency ≥ 1, for R (−recency_days), F (frequency) and M
(monetary): less = customers with a strictly smaller value, score = min(5, 1 + floor(5·less/(n−1))),
1 when n = 1. Segment, first match: prospect (frequency = 0), lapsed (recency_days > 180), vip
(F ≥ 4, M ≥ 4, frequency ≥ 2), price_sensitive (discount_share ≥ 0.5), recent (recency_days ≤ 30),
regular.

Output: header customer_id,recency_days,frequency,monetary,r,f,m,discount_share,segment; one row per
customer of the customers file, sorted by customer_id as printed (the gid, e.g.
gid://shopify/Customer/7), compared as a string code unit by code unit — the order of
\`LC_ALL=C sort\`, so gid …/10 comes before …/7. monetary has the currency's decimals (2 for USD,
0 for JPY); discount_share 4 decimals, rounded half up; recency_days, r, f, m and discount_share
are empty for prospects. Orders of customers missing from the customers file are ignored (counted
on standard error).

Bad input (a line that does not parse, a missing field, a currency mix, a negative amount, a
duplicate customer, an order id seen before — the first line counts) is reported on standard error
as FILE:LINE: reason. Exit codes: 0 done (bad lines skipped and counted), 1 bad input under
--strict, 2 usage error (bad option; a file that is missing, a directory or unreadable, or an --out
that cannot be written: one line on standard error).
`;

export interface SegmentsOptions {
  customers: string;
  orders: string;
  asOf: Date;
  out: string | null;
  strict: boolean;
  currency: string | null;
  thresholds: SegmentThresholds;
}

export type ParsedArgs =
  { kind: "help" } | { kind: "usage-error"; message: string } | { kind: "run"; options: SegmentsOptions };

const THRESHOLD_FLAGS = {
  "lapsed-after-days": "lapsedAfterDays",
  "vip-min-f": "vipMinF",
  "vip-min-m": "vipMinM",
  "vip-min-orders": "vipMinOrders",
  "price-sensitive-share": "priceSensitiveShare",
  "recent-within-days": "recentWithinDays",
} as const;

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

const Strings = z.object({
  customers: z.string({ required_error: "--customers FILE is required" }).min(1, "--customers needs a file"),
  orders: z.string({ required_error: "--orders FILE is required" }).min(1, "--orders needs a file"),
  "as-of": z.string().optional(),
  out: z.string().optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, "--currency must be a 3-letter ISO 4217 code, e.g. USD")
    .optional(),
  strict: z.boolean().optional(),
});

export function parseSegmentsArgs(argv: readonly string[], now: Date): ParsedArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    const options = {
      customers: { type: "string" },
      orders: { type: "string" },
      "as-of": { type: "string" },
      out: { type: "string" },
      currency: { type: "string" },
      strict: { type: "boolean" },
      help: { type: "boolean", short: "h" },
      ...Object.fromEntries(Object.keys(THRESHOLD_FLAGS).map((flag) => [flag, { type: "string" } as const])),
    } as const;
    ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }));
  } catch (error) {
    return { kind: "usage-error", message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help === true) return { kind: "help" };
  const strings = Strings.safeParse(values);
  if (!strings.success)
    return { kind: "usage-error", message: strings.error.issues.map((i) => i.message).join("; ") };
  const s = strings.data;

  let asOf = now;
  if (s["as-of"] !== undefined) {
    if (!ISO_TIME.test(s["as-of"]) || Number.isNaN(Date.parse(s["as-of"]))) {
      return {
        kind: "usage-error",
        message: "--as-of must be an ISO 8601 time with a zone, e.g. 2026-11-20T00:00:00Z, or a date",
      };
    }
    asOf = new Date(s["as-of"]);
  }

  const given: Record<string, number> = {};
  for (const [flag, key] of Object.entries(THRESHOLD_FLAGS)) {
    const raw = values[flag];
    if (typeof raw !== "string") continue;
    const kind = key === "priceSensitiveShare" ? "decimal" : "whole";
    const value = readNumberText(raw, kind);
    if (value === null) {
      const what = kind === "whole" ? "a whole number (digits only)" : "a number (digits, like 0.5)";
      return { kind: "usage-error", message: `--${flag} must be ${what}, got "${raw}"` };
    }
    given[key] = value;
  }
  const thresholds = SegmentThresholds.safeParse(given);
  if (!thresholds.success)
    return { kind: "usage-error", message: thresholds.error.issues.map((i) => i.message).join("; ") };

  return {
    kind: "run",
    options: {
      customers: s.customers,
      orders: s.orders,
      asOf,
      out: s.out ?? null,
      strict: s.strict ?? false,
      currency: s.currency ?? null,
      thresholds: thresholds.data,
    },
  };
}
