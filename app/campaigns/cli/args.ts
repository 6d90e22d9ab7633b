import { parseArgs } from "node:util";
import { z } from "zod";
import { CalendarYear } from "../../messaging/rules/local-dates";
import { PLAYBOOK_KEYS, PlaybookKey } from "../playbooks";

// Command-line arguments of `plan`. Pure: argv and "now" come in, options or a message go out.

export const PLAN_USAGE = `Usage: npm run cli -- plan --customers FILE --orders FILE --shop FILE --playbook KEY [options]

Plans a season playbook's campaigns for every customer: scores the segments from bulk JSONL files
(as \`segments\` does), builds the playbook's campaigns for the shop's country, and decides for each
campaign send, customer and channel whether and when the message goes out. Writes a CSV.

Required:
  --customers FILE     customers JSONL: id, and when known email, phone, emailMarketingConsent and
                       smsMarketingConsent { marketingState }, defaultAddress { countryCodeV2 (or
                       countryCode), provinceCode, timeZone }; other fields are not read
  --orders FILE        orders JSONL, as for \`segments\` (id, createdAt, cancelledAt, test,
                       customer, currentTotalPriceSet, totalDiscountsSet)
  --shop FILE          shop JSON: {"ianaTimezone": "America/New_York", "currencyCode": "USD",
                       "countryCode": "US"}
  --playbook KEY       ${PLAYBOOK_KEYS.join(" or ")}
Options:
  --year N             the playbook's year; default: its next season not over at --as-of (on the
                       shop's clock). A season that has ended is refused (exit 2)
  --as-of TIME         "now": segments are scored and sends planned as of this ISO 8601 time with a
                       zone (2026-11-01T00:00:00Z) or date (UTC midnight); a send already passed
                       goes out at this time (SMS: at the next opening of its hours); default: now
  --settings FILE      audience settings JSON: {"holdoutShare": 0.1, "caps": {"email": 16, "sms":
                       24, "webhook": null}, "smsQuietHours": {"start": "08:00", "end": "21:00"},
                       "stateQuietHours": {"US-FL": {"start": "08:00", "end": "20:00"}, …}};
                       "shipping": {"standard": {"date": "12-15"}, "express": {"date": "12-20"}}
                       (or {"daysBeforeChristmas": 10}); every field optional, these are the
                       defaults; SMS hours can only narrow 08:00–21:00; regions are ISO 3166-2
                       codes; caps and days are whole numbers written as digits (not 1e1 or 1.0).
                       holdoutShare, when given, replaces each campaign's own share (the
                       playbook's 0.1)
  --out FILE           where the CSV goes; default: standard output
  --strict             stop at the first bad line (exit 1) instead of skipping it
  -h, --help           this text

Campaigns: every enabled campaign of the playbook (one per segment: vip, price_sensitive, lapsed,
recent; regular and prospect are off by default), each send its own value of the campaign column:
"<campaign key>/<send>", e.g. cyber-week-2026:price_sensitive/last_hours. A customer is planned in
the campaign of their segment; holdout is drawn once per campaign key (the same for all its sends),
and a customer's sends are planned in time order so each counts against the frequency caps of the
next. Consent is Shopify's (SUBSCRIBED only); the files carry no suppressions nor past sends.

Output: header campaign,customer_id,segment,channel,holdout,send_at_utc,local_send_time,time_zone,
skip_reason; one row per (campaign send, customer, channel considered): "first" channel mode stops at
the first channel the customer consented to. Sorted by campaign, then customer_id (as strings, like
\`LC_ALL=C sort\`), then the campaign's channel order. Only rows with an empty skip_reason are sent;
holdout rows keep the time the message would have gone out. time_zone is the customer's
defaultAddress.timeZone when it is a valid IANA zone, else the shop's ianaTimezone. A campaign ends at
midnight after its last day on the customer's clock. A summary (rows per campaign, channel,
holdout and skip reason) goes to standard error.

Bad input (a line that does not parse, a missing field, a currency other than the shop's, a
negative amount, a duplicate customer, an order id seen before — the first line counts) is reported
on standard error as FILE:LINE: reason. Exit codes: 0 done (bad lines skipped and counted), 1 bad
input under --strict, 2 usage error (bad option; a file that is missing, a directory, unreadable or
invalid, or an --out that cannot be written: one line on standard error).
`;

export interface PlanOptions {
  customers: string;
  orders: string;
  shop: string;
  playbook: PlaybookKey;
  /** --year, else null: the playbook's next season not over at asOf (resolved with the shop's zone) */
  year: number | null;
  asOf: Date;
  out: string | null;
  settings: string | null;
  strict: boolean;
}

export type ParsedPlanArgs =
  { kind: "help" } | { kind: "usage-error"; message: string } | { kind: "run"; options: PlanOptions };

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

const file = (flag: string) =>
  z.string({ required_error: `--${flag} FILE is required` }).min(1, `--${flag} needs a file`);

const Strings = z.object({
  customers: file("customers"),
  orders: file("orders"),
  shop: file("shop"),
  playbook: z
    .string({ required_error: `--playbook KEY is required (${PLAYBOOK_KEYS.join(" or ")})` })
    .pipe(PlaybookKey),
  year: z
    .string()
    .regex(/^\d{4}$/, "--year must be a year like 2026")
    .optional(),
  "as-of": z.string().optional(),
  out: z.string().min(1, "--out needs a file").optional(),
  settings: z.string().min(1, "--settings needs a file").optional(),
  strict: z.boolean().optional(),
});

export function parsePlanArgs(argv: readonly string[], now: Date): ParsedPlanArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        customers: { type: "string" },
        orders: { type: "string" },
        shop: { type: "string" },
        playbook: { type: "string" },
        year: { type: "string" },
        "as-of": { type: "string" },
        out: { type: "string" },
        settings: { type: "string" },
        strict: { type: "boolean" },
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
  if (!strings.success)
    return { kind: "usage-error", message: strings.error.issues.map((i) => i.message).join("; ") };
  const s = strings.data;

  let asOf = now;
  if (s["as-of"] !== undefined) {
    if (!ISO_TIME.test(s["as-of"]) || Number.isNaN(Date.parse(s["as-of"]))) {
      return {
        kind: "usage-error",
        message: "--as-of must be an ISO 8601 time with a zone, e.g. 2026-11-01T00:00:00Z, or a date",
      };
    }
    asOf = new Date(s["as-of"]);
  }
  const year = s.year === undefined ? null : CalendarYear.safeParse(Number(s.year));
  if (year && !year.success)
    return { kind: "usage-error", message: `--year: ${year.error.issues.map((i) => i.message).join("; ")}` };

  return {
    kind: "run",
    options: {
      customers: s.customers,
      orders: s.orders,
      shop: s.shop,
      playbook: s.playbook,
      year: year ? year.data : null,
      asOf,
      out: s.out ?? null,
      settings: s.settings ?? null,
      strict: s.strict ?? false,
    },
  };
}
