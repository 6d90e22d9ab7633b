// A campaign's or flow's funnel from its rows by channel and segment: totals, the two breakdowns
// and the rates a merchant compares, each against the right base. Pure.

export interface FunnelCounts {
  planned: number;
  holdout: number;
  sent: number;
  failed: number;
  skipped: number;
  delivered: number;
  bounced: number;
  openedHuman: number;
  openedMachineOnly: number;
  clickedHuman: number;
  clickedMachineOnly: number;
  complained: number;
  unsubscribed: number;
  orders: number;
  revenueMinor: bigint;
}

export interface FunnelRates {
  /** delivered / sent */
  delivery: number | null;
  /** human opens / delivered emails (texts have no opens) */
  open: number | null;
  /** opens only a privacy proxy or prefetcher made / delivered emails: shown apart, never in `open` */
  machineOpen: number | null;
  /** human clicks / delivered */
  click: number | null;
  /** attributed orders / delivered */
  conversion: number | null;
  /** complaints / delivered emails: above COMPLAINT_LIMIT mailbox providers start filtering */
  complaint: number | null;
  unsubscribe: number | null;
}

export interface FunnelSummary extends FunnelCounts {
  rates: FunnelRates;
}

export const COMPLAINT_LIMIT = 0.001;

/** A funnel with nothing in it yet. */
export const ZERO_FUNNEL: Readonly<FunnelCounts> = Object.freeze({
  planned: 0,
  holdout: 0,
  sent: 0,
  failed: 0,
  skipped: 0,
  delivered: 0,
  bounced: 0,
  openedHuman: 0,
  openedMachineOnly: 0,
  clickedHuman: 0,
  clickedMachineOnly: 0,
  complained: 0,
  unsubscribed: 0,
  orders: 0,
  revenueMinor: 0n,
});

const COUNT_KEYS = [
  "planned",
  "holdout",
  "sent",
  "failed",
  "skipped",
  "delivered",
  "bounced",
  "openedHuman",
  "openedMachineOnly",
  "clickedHuman",
  "clickedMachineOnly",
  "complained",
  "unsubscribed",
  "orders",
] as const satisfies ReadonlyArray<Exclude<keyof FunnelCounts, "revenueMinor">>;

export function addCounts(a: FunnelCounts, b: FunnelCounts): FunnelCounts {
  const sum: FunnelCounts = { ...ZERO_FUNNEL, revenueMinor: a.revenueMinor + b.revenueMinor };
  for (const key of COUNT_KEYS) sum[key] = a[key] + b[key];
  return sum;
}

const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** Rates of counts; `emailDelivered` is the base of opens and complaints (emails only). */
export function rates(counts: FunnelCounts, emailDelivered: number): FunnelRates {
  return {
    delivery: ratio(counts.delivered, counts.sent),
    open: ratio(counts.openedHuman, emailDelivered),
    machineOpen: ratio(counts.openedMachineOnly, emailDelivered),
    click: ratio(counts.clickedHuman, counts.delivered),
    conversion: ratio(counts.orders, counts.delivered),
    complaint: ratio(counts.complained, emailDelivered),
    unsubscribe: ratio(counts.unsubscribed, counts.delivered),
  };
}

export interface FunnelRow extends FunnelCounts {
  channel: string;
  segment: string;
}

export interface Breakdowns {
  total: FunnelSummary;
  byChannel: Array<FunnelSummary & { channel: string }>;
  bySegment: Array<FunnelSummary & { segment: string }>;
}

function summarizeGroup(rows: readonly FunnelRow[]): FunnelSummary {
  const counts = rows.reduce<FunnelCounts>((sum, row) => addCounts(sum, row), { ...ZERO_FUNNEL });
  const emailDelivered = rows.filter((r) => r.channel === "email").reduce((n, r) => n + r.delivered, 0);
  return { ...counts, rates: rates(counts, emailDelivered) };
}

function groupBy(rows: readonly FunnelRow[], key: (row: FunnelRow) => string): Map<string, FunnelRow[]> {
  const groups = new Map<string, FunnelRow[]>();
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
  return new Map([...groups].sort(([a], [b]) => a.localeCompare(b)));
}

export function summarizeFunnel(rows: readonly FunnelRow[]): Breakdowns {
  return {
    total: summarizeGroup(rows),
    byChannel: [...groupBy(rows, (r) => r.channel)].map(([channel, group]) => ({
      channel,
      ...summarizeGroup(group),
    })),
    bySegment: [...groupBy(rows, (r) => r.segment)].map(([segment, group]) => ({
      segment,
      ...summarizeGroup(group),
    })),
  };
}
