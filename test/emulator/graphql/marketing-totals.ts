// What a shop's marketing reports show for one activity per day, from the engagement rows it
// received. marketingEngagementCreate documents no replacement of a day already sent: each call is
// a new row, so non-cumulative rows of one day add up. A cumulative row (deprecated) counts from the
// first day up to its occurredOn: its day's value is the difference to the latest earlier one.

import { z } from "zod";

export interface Money {
  amount: string;
  currencyCode: string;
}

const count = z
  .number()
  .int()
  .nullish()
  .transform((v) => v ?? null);
const decimal = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? null : normalizeDecimal(String(v))));
const money = z
  .object({ amount: z.union([z.string(), z.number()]), currencyCode: z.string() })
  .nullish()
  .transform((v): Money | null =>
    v ? { amount: normalizeDecimal(String(v.amount)), currencyCode: v.currencyCode } : null,
  );

/** The metrics of MarketingEngagementInput (Decimal inputs may come as JSON numbers). */
export const engagementMetrics = z.object({
  impressionsCount: count,
  viewsCount: count,
  clicksCount: count,
  sharesCount: count,
  favoritesCount: count,
  commentsCount: count,
  unsubscribesCount: count,
  complaintsCount: count,
  failsCount: count,
  sendsCount: count,
  uniqueViewsCount: count,
  uniqueClicksCount: count,
  sessionsCount: count,
  orders: decimal,
  firstTimeCustomers: decimal,
  returningCustomers: decimal,
  primaryConversions: decimal,
  allConversions: decimal,
  sales: money,
  adSpend: money,
});
export type EngagementMetrics = z.output<typeof engagementMetrics>;

const MONEY_FIELDS: ReadonlySet<string> = new Set(["sales", "adSpend"]);
const COUNT_FIELDS: ReadonlySet<string> = new Set(
  Object.keys(engagementMetrics.shape).filter((k) => k.endsWith("Count")),
);

/** One marketingEngagementCreate row, as the shop stored it. */
export type EngagementRecord = {
  activityId: string;
  occurredOn: string;
  utcOffset: string;
  isCumulative: boolean;
  receivedAt: string;
} & EngagementMetrics;

/** One activity's day in the shop's marketing reports. */
export type EngagementDay = {
  occurredOn: string;
  utcOffset: string;
  /** engagement rows received for the day */
  rows: number;
} & EngagementMetrics;

// Exact decimal arithmetic on Shopify's Decimal strings: scaled BigInts, never floats.
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

function scaled(amount: string, scale: number): bigint {
  const m = DECIMAL.exec(amount);
  if (!m) throw new Error(`not a decimal: ${amount}`);
  const value = BigInt(`${m[2]}${(m[3] ?? "").padEnd(scale, "0")}`);
  return m[1] === "-" ? -value : value;
}

const fractionDigits = (amount: string): number => DECIMAL.exec(amount)?.[3]?.length ?? 0;

/** "12.50" → "12.5", "7" → "7.0": Shopify's form of a Decimal. */
export function normalizeDecimal(amount: string): string {
  return combine([amount], []);
}

/** Σ plus − Σ minus, in Shopify's form. */
function combine(plus: readonly string[], minus: readonly string[]): string {
  const scale = Math.max(1, ...[...plus, ...minus].map(fractionDigits));
  const total =
    plus.reduce((s, a) => s + scaled(a, scale), 0n) - minus.reduce((s, a) => s + scaled(a, scale), 0n);
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(scale + 1, "0");
  let fraction = digits.slice(digits.length - scale).replace(/0+$/, "");
  if (fraction === "") fraction = "0";
  return `${negative ? "-" : ""}${digits.slice(0, digits.length - scale)}.${fraction}`;
}

function dayOf(
  occurredOn: string,
  rows: readonly EngagementRecord[],
  previous: EngagementRecord | undefined,
): EngagementDay {
  const daily = rows.filter((r) => !r.isCumulative);
  const cumulative = rows.filter((r) => r.isCumulative).at(-1);
  const plusRows = cumulative ? [...daily, cumulative] : daily;
  const minusRows = cumulative && previous ? [previous] : [];
  const values: Record<string, unknown> = {};
  for (const field of Object.keys(engagementMetrics.shape)) {
    const given = (list: readonly EngagementRecord[]) =>
      list.flatMap((r) => {
        const v: unknown = Reflect.get(r, field);
        return v === null ? [] : [v];
      });
    const plus = given(plusRows);
    const minus = given(minusRows);
    if (MONEY_FIELDS.has(field)) {
      const amounts = (list: unknown[]) =>
        list.flatMap((m) => (typeof m === "object" && m !== null ? [String(Reflect.get(m, "amount"))] : []));
      const first: unknown = plus[0];
      const currencyCode =
        typeof first === "object" && first !== null ? Reflect.get(first, "currencyCode") : undefined;
      values[field] =
        first === undefined ? null : { amount: combine(amounts(plus), amounts(minus)), currencyCode };
    } else if (plus.length > 0) {
      const total = combine(plus.map(String), minus.map(String));
      values[field] = COUNT_FIELDS.has(field) ? Number(total) : total;
    }
  }
  return {
    occurredOn,
    utcOffset: rows.at(-1)?.utcOffset ?? "",
    rows: rows.length,
    ...engagementMetrics.parse(values),
  };
}

/** The activity's days, oldest first. */
export function engagementDays(rows: readonly EngagementRecord[]): EngagementDay[] {
  const byDay = new Map<string, EngagementRecord[]>();
  for (const row of rows) byDay.set(row.occurredOn, [...(byDay.get(row.occurredOn) ?? []), row]);
  const days = [...byDay.keys()].sort();
  let lastCumulative: EngagementRecord | undefined;
  return days.map((occurredOn) => {
    const list = byDay.get(occurredOn) ?? [];
    const day = dayOf(occurredOn, list, lastCumulative);
    lastCumulative = list.filter((r) => r.isCumulative).at(-1) ?? lastCumulative;
    return day;
  });
}
