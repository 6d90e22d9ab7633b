import { Prisma, type PrismaClient } from "@prisma/client";
import { z } from "zod";
import { csvCell } from "../csv";
import { currencyExponent, formatMinorUnits } from "../sync/money";
import { shopTimeZone } from "../sync/shop-time-zone.server";
import { formatDate, formatOptionalDateTime, timesNote } from "../ui/format-time";
import { shownRecencyDays } from "./recency";
import { isSegment, SEGMENT_TREATMENT, SEGMENTS, type Segment } from "./rules";

// What the Segments page and its CSV export read. Every query is scoped by shop; money stays
// bigint minor units until it is formatted here, and shares are exact integer ratios. Scores live
// in CustomerScore (a customer without a row is not scored yet and shows as a prospect); joins
// with it are raw SQL, as CustomerScore has no Prisma relation (app/segments/rescore.server.ts).

export { isSegment };

/** part / total as a percentage with one decimal, rounded half up in integer arithmetic ("12.3%"). */
export function formatShare(part: bigint, total: bigint): string {
  if (total <= 0n) return "0.0%";
  const tenths = (part * 2000n + total) / (2n * total);
  return `${tenths / 10n}.${tenths % 10n}%`;
}

/** Minor units in the shop currency the way a merchant reads them ("$1,234.50"); exact, no floats. */
export function formatMoney(minor: bigint, currencyCode: string | null): string {
  if (!currencyCode) return formatMinorUnits(minor, "USD");
  const decimal = formatMinorUnits(minor, currencyCode);
  if (!isDecimal(decimal)) return `${decimal} ${currencyCode}`;
  // Intl formats a decimal string exactly (no conversion to a float).
  return new Intl.NumberFormat("en-US", {
    style: "currency",
    currency: currencyCode,
    minimumFractionDigits: currencyExponent(currencyCode),
  }).format(decimal);
}

const isDecimal = (s: string): s is `${number}` => /^-?\d+(\.\d+)?$/.test(s);

export interface SegmentSummary {
  segment: Segment;
  label: string;
  treatment: string;
  customers: number;
  orders: number;
  customerShare: string;
  revenue: string;
  revenueShare: string;
  /** spend / orders, integer division in minor units; null when the segment has no orders */
  averageOrderValue: string | null;
}

export interface RfCell {
  r: number;
  f: number;
  customers: number;
}

export interface RfmGroupCrosstab {
  /** Shopify's groups present in the shop, in a stable order */
  groups: string[];
  rows: Array<{ segment: Segment; label: string; counts: number[]; total: number }>;
}

export interface SegmentReport {
  currencyCode: string | null;
  totalCustomers: number;
  scoredCustomers: number;
  /** when the newest full or partial scoring happened; null when nobody is scored yet */
  scoredAt: string | null;
  totalRevenue: string;
  segments: SegmentSummary[];
  /** 25 cells, r 5→1 (rows) × f 1→5 (columns); prospects have no scores and are not in it */
  matrix: RfCell[];
  matrixMax: number;
  crosstab: RfmGroupCrosstab | null;
}

async function currencyOf(prisma: PrismaClient, shop: string): Promise<string | null> {
  const row = await prisma.shop.findUnique({ where: { domain: shop }, select: { currencyCode: true } });
  return row?.currencyCode ?? null;
}

/** The shop's last full scoring: what recency_days is shown as of. */
async function scoredAtOf(prisma: PrismaClient, shop: string): Promise<Date | null> {
  const row = await prisma.shopScoring.findUnique({ where: { shop } });
  return row?.scoredAt ?? null;
}

const GroupRow = z.object({
  segment: z.string(),
  rfmGroup: z.string().nullable(),
  customers: z.number().int(),
  orders: z.coerce.bigint(),
  spend: z.coerce.bigint(),
});

/** Customers, orders and spend per (segment, Shopify RFM group): one pass over the shop's customers. */
async function segmentGroups(prisma: PrismaClient, shop: string) {
  const rows = await prisma.$queryRaw<unknown[]>`
    SELECT coalesce(s.segment, 'prospect') AS segment, c."rfmGroup", count(*)::int AS customers,
      coalesce(sum(c."orderCount"), 0)::text AS orders, coalesce(sum(c."spendMinor"), 0)::text AS spend
    FROM "Customer" c LEFT JOIN "CustomerScore" s ON s.shop = c.shop AND s."customerId" = c.id
    WHERE c.shop = ${shop}
    GROUP BY 1, 2`;
  return z.array(GroupRow).parse(rows);
}

/** Everything above the members list, in four queries over (shop, …). */
export async function loadSegmentReport(prisma: PrismaClient, shop: string): Promise<SegmentReport> {
  const [currencyCode, groups, scoredAt, scoredCustomers, cells] = await Promise.all([
    currencyOf(prisma, shop),
    segmentGroups(prisma, shop),
    scoredAtOf(prisma, shop),
    prisma.customerScore.count({ where: { shop } }),
    prisma.customerScore.groupBy({
      by: ["r", "f"],
      where: { shop, segment: { not: "prospect" }, r: { not: null }, f: { not: null } },
      _count: { _all: true },
    }),
  ]);

  const totalCustomers = groups.reduce((n, g) => n + g.customers, 0);
  const totalSpend = groups.reduce((n, g) => n + g.spend, 0n);
  const segments = SEGMENTS.map((segment): SegmentSummary => {
    const mine = groups.filter((row) => row.segment === segment);
    const customers = mine.reduce((n, g) => n + g.customers, 0);
    const orders = Number(mine.reduce((n, g) => n + g.orders, 0n));
    const spend = mine.reduce((n, g) => n + g.spend, 0n);
    return {
      segment,
      label: SEGMENT_TREATMENT[segment].label,
      treatment: SEGMENT_TREATMENT[segment].treatment,
      customers,
      orders,
      customerShare: formatShare(BigInt(customers), BigInt(totalCustomers)),
      revenue: formatMoney(spend, currencyCode),
      revenueShare: formatShare(spend, totalSpend),
      averageOrderValue: orders > 0 ? formatMoney(spend / BigInt(orders), currencyCode) : null,
    };
  });

  const matrix: RfCell[] = [];
  for (let r = 5; r >= 1; r--) {
    for (let f = 1; f <= 5; f++) {
      const customers = cells.find((c) => c.r === r && c.f === f)?._count._all ?? 0;
      matrix.push({ r, f, customers });
    }
  }

  return {
    currencyCode,
    totalCustomers,
    scoredCustomers,
    scoredAt: scoredAt?.toISOString() ?? null,
    totalRevenue: formatMoney(totalSpend, currencyCode),
    segments,
    matrix,
    matrixMax: matrix.reduce((m, c) => Math.max(m, c.customers), 0),
    crosstab: crosstabOf(
      groups.flatMap((g) =>
        g.rfmGroup === null ? [] : [{ segment: g.segment, group: g.rfmGroup, customers: g.customers }],
      ),
    ),
  };
}

function crosstabOf(
  rows: Array<{ segment: string; group: string; customers: number }>,
): RfmGroupCrosstab | null {
  if (rows.length === 0) return null;
  const groups = [...new Set(rows.map((r) => r.group))].sort();
  return {
    groups,
    rows: SEGMENTS.map((segment) => {
      const counts = groups.map(
        (group) => rows.find((r) => r.segment === segment && r.group === group)?.customers ?? 0,
      );
      return {
        segment,
        label: SEGMENT_TREATMENT[segment].label,
        counts,
        total: counts.reduce((a, b) => a + b, 0),
      };
    }),
  };
}

// ---- members list -----------------------------------------------------------------------------

export const MEMBER_SORTS = ["spend", "orders", "last_order", "recency"] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];
const isMemberSort = (value: string): value is MemberSort =>
  (MEMBER_SORTS as readonly string[]).includes(value);
export type SortDirection = "asc" | "desc";
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;

export interface MemberQuery {
  q: string;
  segment: Segment | null;
  sort: MemberSort;
  direction: SortDirection;
  /** 1-based */
  page: number;
  size: number;
}

const positiveInt = (value: string | null, fallback: number, max: number): number => {
  const n = value !== null && /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 1 ? Math.min(n, max) : fallback;
};

/** Reads the members list's URL parameters; anything unknown falls back to the default. */
export function parseMemberQuery(params: URLSearchParams): MemberQuery {
  const segment = params.get("segment") ?? "";
  const sort = params.get("sort") ?? "";
  return {
    q: (params.get("q") ?? "").trim().slice(0, 200),
    segment: isSegment(segment) ? segment : null,
    sort: isMemberSort(sort) ? sort : "spend",
    direction: params.get("dir") === "asc" ? "asc" : "desc",
    page: positiveInt(params.get("page"), 1, 1_000_000),
    size: positiveInt(params.get("size"), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
  };
}

/** A customer id as typed: "123" or "gid://shopify/Customer/123". */
function customerIdOf(q: string): bigint | null {
  const m = /^(?:gid:\/\/shopify\/Customer\/)?(\d{1,19})$/.exec(q);
  if (!m?.[1]) return null;
  const id = BigInt(m[1]);
  return id <= 9223372036854775807n ? id : null;
}

/** LIKE wildcards in what the merchant typed are literal characters. */
const likeEscaped = (q: string) => q.replace(/[\\%_]/g, (c) => `\\${c}`);

// Customers joined with their scores as `c` and `s`; a customer without a score row is a prospect.
const MEMBERS_FROM = Prisma.sql`"Customer" c LEFT JOIN "CustomerScore" s ON s.shop = c.shop AND s."customerId" = c.id`;
const SEGMENT_OF = Prisma.sql`coalesce(s.segment, 'prospect')`;

function memberWhere(shop: string, query: Pick<MemberQuery, "q" | "segment">): Prisma.Sql {
  const parts = [Prisma.sql`c.shop = ${shop}`];
  if (query.segment) parts.push(Prisma.sql`${SEGMENT_OF} = ${query.segment}`);
  if (query.q) {
    const id = customerIdOf(query.q);
    // ILIKE's escape character is the backslash likeEscaped puts before wildcards.
    const like = `%${likeEscaped(query.q)}%`;
    const byText = Prisma.sql`(c.email ILIKE ${like} OR concat_ws(' ', c."firstName", c."lastName") ILIKE ${like})`;
    parts.push(id === null ? byText : Prisma.sql`(c.id = ${id} OR ${byText})`);
  }
  return Prisma.join(parts, " AND ");
}

function memberOrder(sort: MemberSort, direction: SortDirection): Prisma.Sql {
  const dir = (d: SortDirection) => (d === "asc" ? Prisma.sql`ASC` : Prisma.sql`DESC`);
  // Prospects have no last order or recency: they go last whichever way the list is sorted. A
  // smaller recency is a later last order.
  const key =
    sort === "spend"
      ? Prisma.sql`c."spendMinor" ${dir(direction)}`
      : sort === "orders"
        ? Prisma.sql`c."orderCount" ${dir(direction)}`
        : sort === "last_order"
          ? Prisma.sql`c."lastOrderAt" ${dir(direction)} NULLS LAST`
          : Prisma.sql`c."lastOrderAt" ${dir(direction === "asc" ? "desc" : "asc")} NULLS LAST`;
  return Prisma.sql`${key}, c.id ASC`;
}

const MemberRecord = z.object({
  id: z.coerce.bigint(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  email: z.string().nullable(),
  segment: z.string(),
  orderCount: z.number().int(),
  spendMinor: z.coerce.bigint(),
  discountedOrderCount: z.number().int(),
  lastOrderAt: z.date().nullable(),
  r: z.number().int().nullable(),
  f: z.number().int().nullable(),
  m: z.number().int().nullable(),
  rfmGroup: z.string().nullable(),
});
type MemberRecord = z.infer<typeof MemberRecord>;

const MEMBER_COLUMNS = Prisma.sql`c.id::text AS id, c."firstName", c."lastName", c.email, ${SEGMENT_OF} AS segment, c."orderCount", c."spendMinor"::text AS "spendMinor",
  c."discountedOrderCount", c."lastOrderAt", s.r, s.f, s.m, c."rfmGroup"`;

/** recency_days as the page and CSV show it: for scored buyers, as of the shop's last scoring. */
const recencyOf = (c: MemberRecord, scoredAt: Date | null) =>
  c.r === null ? null : shownRecencyDays(scoredAt, c.lastOrderAt);

export interface MemberRow {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  segment: Segment;
  segmentLabel: string;
  orders: number;
  spend: string;
  lastOrderAt: string | null;
  recencyDays: number | null;
  r: number | null;
  f: number | null;
  m: number | null;
  rfmGroup: string | null;
}

export interface MemberPage {
  query: MemberQuery;
  rows: MemberRow[];
  total: number;
  pages: number;
  hasPrevious: boolean;
  hasNext: boolean;
}

/**
 * One page of the shop's customers. Offset pages: PostgreSQL sorts the filtered customers with a
 * bounded top-N either way (or walks the spend, orders or last-order index), and pages stay
 * addressable in the URL.
 */
export async function loadMembers(
  prisma: PrismaClient,
  shop: string,
  query: MemberQuery,
  currencyCode: string | null,
): Promise<MemberPage> {
  const where = memberWhere(shop, query);
  const [counted, records, scoredAt] = await Promise.all([
    prisma.$queryRaw<unknown[]>`SELECT count(*)::int AS total FROM ${MEMBERS_FROM} WHERE ${where}`,
    prisma.$queryRaw<unknown[]>`
      SELECT ${MEMBER_COLUMNS} FROM ${MEMBERS_FROM} WHERE ${where}
      ORDER BY ${memberOrder(query.sort, query.direction)}
      LIMIT ${query.size} OFFSET ${(query.page - 1) * query.size}`,
    scoredAtOf(prisma, shop),
  ]);
  const total = z.array(z.object({ total: z.number().int() })).parse(counted)[0]?.total ?? 0;
  const customers = z.array(MemberRecord).parse(records);
  const pages = Math.max(1, Math.ceil(total / query.size));
  return {
    query,
    total,
    pages,
    hasPrevious: query.page > 1,
    hasNext: query.page < pages,
    rows: customers.map((c) => {
      const segment = isSegment(c.segment) ? c.segment : "prospect";
      return {
        id: c.id.toString(),
        firstName: c.firstName,
        lastName: c.lastName,
        email: c.email,
        segment,
        segmentLabel: SEGMENT_TREATMENT[segment].label,
        orders: c.orderCount,
        spend: formatMoney(c.spendMinor, currencyCode),
        lastOrderAt: c.lastOrderAt?.toISOString() ?? null,
        recencyDays: recencyOf(c, scoredAt),
        r: c.r,
        f: c.f,
        m: c.m,
        rfmGroup: c.rfmGroup,
      };
    }),
  };
}

// ---- CSV export ---------------------------------------------------------------------------------

export const CSV_HEADER = "customer_id,email,segment,recency_days,frequency,monetary,r,f,m,discount_share";
const CSV_PAGE = 2_000;

/** discounted / orders with four decimals, rounded half up in integers; empty without orders. */
export function discountShare(discounted: number, orders: number): string {
  if (orders <= 0) return "";
  const tenThousandths = (BigInt(discounted) * 20000n + BigInt(orders)) / (2n * BigInt(orders));
  return `${tenThousandths / 10000n}.${(tenThousandths % 10000n).toString().padStart(4, "0")}`;
}

/**
 * The shop's customers (optionally one segment) as CSV, read in pages of 2,000 by id so a shop
 * with a million customers never sits in memory; the next page is read only when the client pulls.
 */
export function segmentsCsv(
  prisma: PrismaClient,
  shop: string,
  segment: Segment | null,
  currencyCode: string | null,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const money = (minor: bigint) => formatMinorUnits(minor, currencyCode ?? "USD");
  let after: bigint | null = null;
  let scoredAt: Date | null = null;
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        scoredAt = await scoredAtOf(prisma, shop);
        controller.enqueue(encoder.encode(`${CSV_HEADER}\r\n`));
        return;
      }
      const filters = [Prisma.sql`c.shop = ${shop}`];
      if (segment) filters.push(Prisma.sql`${SEGMENT_OF} = ${segment}`);
      if (after !== null) filters.push(Prisma.sql`c.id > ${after}`);
      const records = await prisma.$queryRaw<unknown[]>`
        SELECT ${MEMBER_COLUMNS} FROM ${MEMBERS_FROM} WHERE ${Prisma.join(filters, " AND ")}
        ORDER BY c.id LIMIT ${CSV_PAGE}`;
      const rows = z.array(MemberRecord).parse(records);
      const last = rows.at(-1);
      if (!last) {
        controller.close();
        return;
      }
      after = last.id;
      const text = rows
        .map((c) =>
          [
            c.id.toString(),
            c.email,
            c.segment,
            recencyOf(c, scoredAt),
            c.orderCount,
            money(c.spendMinor),
            c.r,
            c.f,
            c.m,
            discountShare(c.discountedOrderCount, c.orderCount),
          ]
            .map(csvCell)
            .join(","),
        )
        .join("\r\n");
      controller.enqueue(encoder.encode(`${text}\r\n`));
      if (rows.length < CSV_PAGE) controller.close();
    },
  });
}

/** The Segments page: the report and one page of members, as the URL asks for them. */
/** The members page as the Segments page shows it: each last order on the shop's calendar. */
export interface ShownMemberPage extends Omit<MemberPage, "rows"> {
  rows: Array<MemberRow & { lastOrderOn: string | null }>;
}

export async function loadSegmentsPage(prisma: PrismaClient, shop: string, params: URLSearchParams) {
  const [report, zone] = await Promise.all([loadSegmentReport(prisma, shop), shopTimeZone(prisma, shop)]);
  const members = await loadMembers(prisma, shop, parseMemberQuery(params), report.currencyCode);
  const shownMembers: ShownMemberPage = {
    ...members,
    rows: members.rows.map((row) => ({
      ...row,
      lastOrderOn: row.lastOrderAt ? formatDate(row.lastOrderAt, zone) : null,
    })),
  };
  return {
    report: { ...report, scoredLabel: formatOptionalDateTime(report.scoredAt, zone) },
    members: shownMembers,
    timesNote: timesNote(zone),
  };
}

/** The CSV export as the route serves it: same segment filter as the page, a dated file name. */
export async function exportSegmentsCsv(prisma: PrismaClient, shop: string, params: URLSearchParams) {
  const segment = params.get("segment") ?? "";
  const filter = isSegment(segment) ? segment : null;
  const currencyCode = await currencyOf(prisma, shop);
  const handle = shop.replace(/\.myshopify\.com$/, "").replace(/[^a-z0-9-]/gi, "");
  return {
    body: segmentsCsv(prisma, shop, filter, currencyCode),
    filename: `segments-${handle}${filter ? `-${filter}` : ""}-${new Date().toISOString().slice(0, 10)}.csv`,
  };
}
