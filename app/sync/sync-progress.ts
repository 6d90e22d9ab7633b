import { formatDateTime, formatOptionalDateTime } from "../ui/format-time";

// How a backfill looks to a merchant: a phase they understand, counts, and a progress figure.

export type SyncStatus = "running" | "completed" | "failed" | "cancelled";
// in the order a backfill goes through them
export type SyncPhase = "requesting" | "waiting" | "orders" | "customers" | "products" | "aggregating" | "done";

export interface SyncRunView {
  id: string;
  kind: string;
  status: SyncStatus;
  phase: SyncPhase;
  customersRead: number;
  customersTotal: number | null;
  ordersRead: number;
  ordersTotal: number | null;
  linesSkipped: number;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

const PHASE_LABEL: Record<SyncPhase, string> = {
  requesting: "Asking Shopify for your customers, orders and products",
  waiting: "Shopify is preparing your data",
  customers: "Loading customers",
  orders: "Loading orders",
  products: "Loading products",
  aggregating: "Checking each customer's order totals",
  done: "Up to date",
};

// Share of the whole run each phase stands for; loading orders is most of the work.
const PHASE_SPAN: Record<SyncPhase, [number, number]> = {
  requesting: [0, 2],
  waiting: [2, 10],
  orders: [10, 80],
  customers: [80, 97],
  products: [97, 98],
  aggregating: [98, 99],
  done: [100, 100],
};

export function phaseLabel(phase: SyncPhase): string {
  return PHASE_LABEL[phase];
}

/** 0–100, never going backwards within a run; counts interpolate within their phase. */
export function syncProgress(run: Pick<SyncRunView, "phase" | "status" | "customersRead" | "customersTotal" | "ordersRead" | "ordersTotal">): number {
  if (run.status === "completed") return 100;
  const [from, to] = PHASE_SPAN[run.phase];
  const fraction = (read: number, total: number | null) => (total && total > 0 ? Math.min(1, read / total) : 0);
  switch (run.phase) {
    case "customers":
      return Math.floor(from + (to - from) * fraction(run.customersRead, run.customersTotal));
    case "orders":
      return Math.floor(from + (to - from) * fraction(run.ordersRead, run.ordersTotal));
    case "requesting":
    case "waiting":
    case "products":
    case "aggregating":
    case "done":
      return from;
    default: {
      const unreachable: never = run.phase;
      return unreachable;
    }
  }
}

export function isSyncStatus(value: string): value is SyncStatus {
  return value === "running" || value === "completed" || value === "failed" || value === "cancelled";
}

export function isSyncPhase(value: string): value is SyncPhase {
  return value in PHASE_LABEL;
}

/** A run with its start and end on the shop's clock, as loaders send it to the page. */
export interface SyncRunShown extends SyncRunView {
  startedLabel: string;
  finishedLabel: string | null;
}

export function showSyncRun(run: SyncRunView | null, zone: string): SyncRunShown | null {
  if (run === null) return null;
  return { ...run, startedLabel: formatDateTime(run.startedAt, zone), finishedLabel: formatOptionalDateTime(run.finishedAt, zone) };
}

/**
 * Whether a page that follows the sync should look again: the install has queued a backfill that
 * has not started, one is running, or it completed and the rescore that follows has not finished.
 * A failed or cancelled run, or one whose customers are scored, is done.
 */
export function syncStillMoving(
  run: Pick<SyncRunView, "status" | "finishedAt"> | null,
  scoredAt: string | null,
): boolean {
  if (run === null) return true;
  switch (run.status) {
    case "running":
      return true;
    case "completed":
      return scoredAt === null || (run.finishedAt !== null && Date.parse(scoredAt) < Date.parse(run.finishedAt));
    case "failed":
    case "cancelled":
      return false;
    default: {
      const unreachable: never = run.status;
      return unreachable;
    }
  }
}
