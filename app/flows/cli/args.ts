import { parseArgs } from "node:util";
import { z } from "zod";
import { BUILT_IN_FLOW_KEYS, PEAK_FIRST_MESSAGE_MINUTES } from "../built-in";

// Command-line arguments of `flows`. Pure: argv comes in, options or a message go out.

export const FLOWS_USAGE = `Usage: npm run cli -- flows --customers FILE --orders FILE --checkouts FILE --shop FILE
                           --from TIME --until TIME [options]

Replays the built-in flows (${BUILT_IN_FLOW_KEYS.join(", ")}) over a shop's
history on a virtual clock, with the app's own decisions (enter and decideStep of app/flows), and
writes every message the flows would have sent or skipped as a CSV.

Required:
  --customers FILE     customers JSONL, as for \`plan\`: id, and when known email, phone,
                       emailMarketingConsent and smsMarketingConsent { marketingState,
                       consentUpdatedAt }, defaultAddress { countryCodeV2, provinceCode, timeZone }
  --orders FILE        orders JSONL, as for \`segments\` (id, createdAt, cancelledAt, test, customer,
                       currentTotalPriceSet, totalDiscountsSet), each order optionally followed by its
                       line items' lines ({"product": {"id": …} or null, "__parentId": the order's
                       id}), as \`pull\` writes them: what a customer bought is never cross-sold
  --checkouts FILE     checkouts JSONL: Admin GraphQL abandonedCheckouts lines (line items inline or
                       as __parentId lines) or checkouts/* webhook payloads; every version of a
                       checkout in the file is an activity at its updatedAt
  --shop FILE          shop JSON, as for \`plan\`: {"ianaTimezone": "America/New_York",
                       "currencyCode": "USD", "countryCode": "US"}, and optionally "myshopifyDomain"
                       (the app names a segment change, a win-back's trigger_id, with it)
  --from TIME          the window's start and end: ISO 8601 times with a zone
  --until TIME         (2026-11-24T00:00:00Z) or dates (UTC midnight); --from before --until
Options:
  --products FILE      products JSONL as the app's backfill exports them (product lines with
                       status, publishedAt, tracksInventory, …, then their variants' lines with
                       availableForSale and __parentId): the stock for the whole window. Without it
                       every product counts as in stock: no cart item is dropped as sold out, and
                       the cross-sell candidates are the products ordered before --from
  --settings FILE      flow settings JSON, the app's: {"abandoned_checkout": {"enabled": true,
                       "delays": {"first_message_wait": 60, "first_reminder_wait": 1440,
                       "last_reminder_wait": 2880}, "holdoutShare": 0.1, "countsTowardCaps": true},
                       "welcome": {…}, …}; every flow and field optional, these are the defaults
                       (every built-in flow enabled, delays in minutes)
  --peak               the peak preset: the abandoned checkout's first message after
                       ${PEAK_FIRST_MESSAGE_MINUTES} minutes
  --audience FILE      the shop's send rules, \`plan\`'s settings JSON (caps, smsQuietHours,
                       stateQuietHours; its other fields are campaigns' and not read here);
                       default: the app's defaults
  --out FILE           where the CSV goes; default: standard output
  --strict             stop at the first bad line (exit 1) instead of skipping it
  -h, --help           this text

The replay: the shop as the files say it is before --from is the starting point (orders placed
before it count for segments and what was bought; no one is in a flow yet). Then, in time order,
what happened in [--from, --until), each handled as the app handles the webhook:
  checkouts  every version: a checkout_activity at its updatedAt (a completed one enters nothing)
  orders     an order_placed at createdAt (test and cancelled orders are not counted and enter
             nothing); it wakes the customer's waiting steps, which exit (converted) when the
             order came after their trigger
  consents   a customer whose emailMarketingConsent or smsMarketingConsent is SUBSCRIBED with a
             consentUpdatedAt in the window: marketing_consent_granted then
  segments   a customer's segment is scored (as \`segments\` does, default thresholds) at --from,
             when an order or a consent of theirs comes in, and every customer's at each 00:00 UTC
             (the app's nightly rescore); a change is a segment_entered (win_back: lapsed,
             vip_recognition: vip). A first scoring is not a change
At one instant: the nightly rescore, then checkouts, orders and consents (each by id), then the
steps due, in order of enrollment id, each one's sends counting toward the next one's caps. A step
is decided at its wakeAt against the files as of then: the customer's orders so far, the
checkout's latest version so far, consent as in the customers file (for the whole window), no
suppressions, no campaign sends (only the flows' own count toward caps). Steps due at --until or
later are not decided (counted on standard error).

Output: header flow,step,trigger_id,customer_id,channel,holdout,due_at_utc,send_at_utc,skip_reason;
one row per (flow, trigger, step, channel considered). Ids are Shopify's numeric ids (trigger_id:
the checkout, the order, the customer for welcome, the segment change for win_back and
vip_recognition). skip_reason is empty for a message sent at send_at_utc; holdout rows keep the
time the message would have gone; due_at_utc is when the step was due by the flow's waits. Sorted
by flow (in the order above), trigger_id and customer_id (as strings), step, channel. The same
input gives the same bytes. A summary goes to standard error.

Bad input (a line that does not parse, a missing field, a currency other than the shop's, a
duplicate customer or order, a line item or child line without its parent) is reported on standard
error as FILE:LINE: reason. Exit codes: 0 done (bad lines skipped and counted), 1 bad input under
--strict, 2 usage error (bad option; a file that is missing, a directory, unreadable or invalid, or
an --out that cannot be written: one line on standard error).
`;

export interface FlowsOptions {
  customers: string;
  orders: string;
  checkouts: string;
  shop: string;
  products: string | null;
  settings: string | null;
  audience: string | null;
  peak: boolean;
  from: Date;
  until: Date;
  out: string | null;
  strict: boolean;
}

export type ParsedFlowsArgs =
  { kind: "help" } | { kind: "usage-error"; message: string } | { kind: "run"; options: FlowsOptions };

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

const file = (flag: string) =>
  z.string({ required_error: `--${flag} FILE is required` }).min(1, `--${flag} needs a file`);
const optionalFile = (flag: string) => z.string().min(1, `--${flag} needs a file`).optional();
const time = (flag: string) =>
  z
    .string({ required_error: `--${flag} TIME is required` })
    .refine((v) => ISO_TIME.test(v) && !Number.isNaN(Date.parse(v)), {
      message: `--${flag} must be an ISO 8601 time with a zone, e.g. 2026-11-24T00:00:00Z, or a date`,
    })
    .transform((v) => new Date(v));

const Strings = z
  .object({
    customers: file("customers"),
    orders: file("orders"),
    checkouts: file("checkouts"),
    shop: file("shop"),
    from: time("from"),
    until: time("until"),
    products: optionalFile("products"),
    settings: optionalFile("settings"),
    audience: optionalFile("audience"),
    out: optionalFile("out"),
    peak: z.boolean().optional(),
    strict: z.boolean().optional(),
  })
  .refine((s) => s.from < s.until, { message: "--from must be before --until" });

export function parseFlowsArgs(argv: readonly string[]): ParsedFlowsArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        customers: { type: "string" },
        orders: { type: "string" },
        checkouts: { type: "string" },
        shop: { type: "string" },
        from: { type: "string" },
        until: { type: "string" },
        products: { type: "string" },
        settings: { type: "string" },
        audience: { type: "string" },
        out: { type: "string" },
        peak: { type: "boolean" },
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
  const parsed = Strings.safeParse(values);
  if (!parsed.success)
    return { kind: "usage-error", message: parsed.error.issues.map((i) => i.message).join("; ") };
  const s = parsed.data;
  return {
    kind: "run",
    options: {
      customers: s.customers,
      orders: s.orders,
      checkouts: s.checkouts,
      shop: s.shop,
      products: s.products ?? null,
      settings: s.settings ?? null,
      audience: s.audience ?? null,
      peak: s.peak ?? false,
      from: s.from,
      until: s.until,
      out: s.out ?? null,
      strict: s.strict ?? false,
    },
  };
}
