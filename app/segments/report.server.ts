import type { Prisma, PrismaClient } from "@prisma/client";
import { currencyExponent, formatMinorUnits } from "../sync/money";
import { SEGMENT_TREATMENT, SEGMENTS, type Segment } from "./rules";

// What the Segments page and its CSV export read. Every query is scoped by shop; money stays
// bigint minor units until it is formatted here, and shares are exact integer ratios.

export const isSegment = (value: string): value is Segment => (SEGMENTS as readonly string[]).includes(value);

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

/** Everything above the members list, in five grouped queries over (shop, …). */
export async function loadSegmentReport(prisma: PrismaClient, shop: string): Promise<SegmentReport> {
  const [currencyCode, bySegment, scoring, cells, groups] = await Promise.all([
    currencyOf(prisma, shop),
    prisma.customer.groupBy({
      by: ["segment"],
      where: { shop },
      _count: { _all: true },
      _sum: { orderCount: true, spendMinor: true },
    }),
    prisma.customer.aggregate({ where: { shop, scoredAt: { not: null } }, _count: { _all: true }, _max: { scoredAt: true } }),
    prisma.customer.groupBy({
      by: ["rScore", "fScore"],
      where: { shop, segment: { not: "prospect" }, rScore: { not: null }, fScore: { not: null } },
      _count: { _all: true },
    }),
    prisma.customer.groupBy({
      by: ["segment", "rfmGroup"],
      where: { shop, rfmGroup: { not: null } },
      _count: { _all: true },
    }),
  ]);

  const totalCustomers = bySegment.reduce((n, g) => n + g._count._all, 0);
  const totalSpend = bySegment.reduce((n, g) => n + (g._sum.spendMinor ?? 0n), 0n);
  const segments = SEGMENTS.map((segment): SegmentSummary => {
    const g = bySegment.find((row) => row.segment === segment);
    const customers = g?._count._all ?? 0;
    const orders = g?._sum.orderCount ?? 0;
    const spend = g?._sum.spendMinor ?? 0n;
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
      const customers = cells.find((c) => c.rScore === r && c.fScore === f)?._count._all ?? 0;
      matrix.push({ r, f, customers });
    }
  }

  return {
    currencyCode,
    totalCustomers,
    scoredCustomers: scoring._count._all,
    scoredAt: scoring._max.scoredAt?.toISOString() ?? null,
    totalRevenue: formatMoney(totalSpend, currencyCode),
    segments,
    matrix,
    matrixMax: matrix.reduce((m, c) => Math.max(m, c.customers), 0),
    crosstab: crosstabOf(groups.flatMap((g) => (g.rfmGroup === null ? [] : [{ segment: g.segment, group: g.rfmGroup, customers: g._count._all }]))),
  };
}

function crosstabOf(rows: Array<{ segment: string; group: string; customers: number }>): RfmGroupCrosstab | null {
  if (rows.length === 0) return null;
  const groups = [...new Set(rows.map((r) => r.group))].sort();
  return {
    groups,
    rows: SEGMENTS.map((segment) => {
      const counts = groups.map((group) => rows.find((r) => r.segment === segment && r.group === group)?.customers ?? 0);
      return { segment, label: SEGMENT_TREATMENT[segment].label, counts, total: counts.reduce((a, b) => a + b, 0) };
    }),
  };
}

// ---- members list -----------------------------------------------------------------------------

export const MEMBER_SORTS = ["spend", "orders", "last_order", "recency"] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];
const isMemberSort = (value: string): value is MemberSort => (MEMBER_SORTS as readonly string[]).includes(value);
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

function memberWhere(shop: string, query: Pick<MemberQuery, "q" | "segment">): Prisma.CustomerWhereInput {
  const where: Prisma.CustomerWhereInput = { shop };
  if (query.segment) where.segment = query.segment;
  if (query.q) {
    const id = customerIdOf(query.q);
    const byEmail: Prisma.CustomerWhereInput = { email: { contains: likeEscaped(query.q), mode: "insensitive" } };
    where.OR = id === null ? [byEmail] : [{ id }, byEmail];
  }
  return where;
}

function memberOrder(sort: MemberSort, direction: SortDirection): Prisma.CustomerOrderByWithRelationInput[] {
  // Prospects have no last order or recency: they go last whichever way the list is sorted.
  const key: Prisma.CustomerOrderByWithRelationInput =
    sort === "spend"
      ? { spendMinor: direction }
      : sort === "orders"
        ? { orderCount: direction }
        : sort === "last_order"
          ? { lastOrderAt: { sort: direction, nulls: "last" } }
          : { recencyDays: { sort: direction, nulls: "last" } };
  return [key, { id: "asc" }];
}

export interface MemberRow {
  id: string;
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
 * One page of the shop's customers. Offset pages: with only (shop, segment) indexed, PostgreSQL
 * sorts the filtered customers with a bounded top-N either way, and pages stay addressable in the URL.
 */
export async function loadMembers(prisma: PrismaClient, shop: string, query: MemberQuery, currencyCode: string | null): Promise<MemberPage> {
  const where = memberWhere(shop, query);
  const [total, customers] = await Promise.all([
    prisma.customer.count({ where }),
    prisma.customer.findMany({
      where,
      orderBy: memberOrder(query.sort, query.direction),
      skip: (query.page - 1) * query.size,
      take: query.size,
      select: {
        id: true,
        email: true,
        segment: true,
        orderCount: true,
        spendMinor: true,
        lastOrderAt: true,
        recencyDays: true,
        rScore: true,
        fScore: true,
        mScore: true,
        rfmGroup: true,
      },
    }),
  ]);
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
        email: c.email,
        segment,
        segmentLabel: SEGMENT_TREATMENT[segment].label,
        orders: c.orderCount,
        spend: formatMoney(c.spendMinor, currencyCode),
        lastOrderAt: c.lastOrderAt?.toISOString() ?? null,
        recencyDays: c.recencyDays,
        r: c.rScore,
        f: c.fScore,
        m: c.mScore,
        rfmGroup: c.rfmGroup,
      };
    }),
  };
}

// ---- CSV export ---------------------------------------------------------------------------------

export const CSV_HEADER = "customer_id,email,segment,recency_days,frequency,monetary,r,f,m,discount_share";
const CSV_PAGE = 2_000;

/** One RFC 4180 field: quoted when it holds a comma, quote or line break; quotes doubled. */
export function csvField(value: string | number | null): string {
  if (value === null) return "";
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

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
export function segmentsCsv(prisma: PrismaClient, shop: string, segment: Segment | null, currencyCode: string | null): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const money = (minor: bigint) => formatMinorUnits(minor, currencyCode ?? "USD");
  let after: bigint | null = null;
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(`${CSV_HEADER}\r\n`));
        return;
      }
      const rows = await prisma.customer.findMany({
        where: { shop, ...(segment ? { segment } : {}), ...(after === null ? {} : { id: { gt: after } }) },
        orderBy: { id: "asc" },
        take: CSV_PAGE,
        select: {
          id: true,
          email: true,
          segment: true,
          recencyDays: true,
          orderCount: true,
          spendMinor: true,
          discountedOrderCount: true,
          rScore: true,
          fScore: true,
          mScore: true,
        },
      });
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
            c.recencyDays,
            c.orderCount,
            money(c.spendMinor),
            c.rScore,
            c.fScore,
            c.mScore,
            discountShare(c.discountedOrderCount, c.orderCount),
          ]
            .map(csvField)
            .join(","),
        )
        .join("\r\n");
      controller.enqueue(encoder.encode(`${text}\r\n`));
      if (rows.length < CSV_PAGE) controller.close();
    },
  });
}

/** The Segments page: the report and one page of members, as the URL asks for them. */
export async function loadSegmentsPage(prisma: PrismaClient, shop: string, params: URLSearchParams) {
  const report = await loadSegmentReport(prisma, shop);
  const members = await loadMembers(prisma, shop, parseMemberQuery(params), report.currencyCode);
  return { report, members };
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
