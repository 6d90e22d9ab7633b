import { processWebhookBatch, type BatchOutcome } from "./process-batch.server";
import type { ProcessWebhookDeps } from "./process-webhook.server";

// At peak the intake records a few deliveries at a time and queues one batch job for each: at
// 500 deliveries/s that is well over a hundred jobs a second, while a pass over the database costs
// about the same for 3 deliveries as for 300. So a worker process applies batches in passes, one at
// a time: a job hands its deliveries to the next pass and waits for it. Each pass also takes along
// the same shops' deliveries still waiting, and while passes keep finding such work the next one
// starts at once — the backlog drains without waiting for each delivery's own job to come up. A job
// whose deliveries an earlier pass of this process already settled returns without a query.

export interface WebhookBatcher {
  /** Applies these deliveries (in the next pass); resolves with what their job must still do. */
  process(webhookIds: readonly string[]): Promise<Pick<BatchOutcome, "individually">>;
  /** Resolves once no pass is running or queued (tests, shutdown). */
  idle(): Promise<void>;
}

export interface WebhookBatcherOptions {
  /** Ids remembered as settled, and as left behind (never taken along again), per process. */
  remember?: number;
  /**
   * At least this long between the starts of two passes (default 100 ms): under steady traffic a
   * pass then gathers a tenth of a second of deliveries instead of whatever arrived during the
   * last one — fewer, larger transactions for the same work, a segment still moved well under a
   * second after its order.
   */
  minIntervalMs?: number;
  /** Per pass: its size and duration (debug logging, benchmarks). */
  onPass?: (pass: { own: number; settled: number; ms: number }) => void;
}

interface Waiter {
  ids: string[];
  resolve: (outcome: Pick<BatchOutcome, "individually">) => void;
  reject: (error: unknown) => void;
}

/** A set that forgets its oldest entries beyond `limit`. */
class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly limit: number) {}
  has(id: string): boolean {
    return this.ids.has(id);
  }
  add(ids: readonly string[]): void {
    for (const id of ids) {
      this.ids.delete(id);
      this.ids.add(id);
    }
    for (const oldest of this.ids) {
      if (this.ids.size <= this.limit) break;
      this.ids.delete(oldest);
    }
  }
  get set(): ReadonlySet<string> {
    return this.ids;
  }
}

export function createWebhookBatcher(
  deps: ProcessWebhookDeps,
  options: WebhookBatcherOptions = {},
): WebhookBatcher {
  const remember = options.remember ?? 100_000;
  const minIntervalMs = options.minIntervalMs ?? 100;
  let lastPassAt = 0;
  const settled = new RecentIds(remember);
  const leftBehind = new RecentIds(Math.min(remember, 10_000));
  let waiting: Waiter[] = [];
  // Shops whose last pass found work to take along: the next pass looks at them again.
  let draining: string[] = [];
  let running: Promise<void> | null = null;

  function kick(): void {
    if (running) return;
    running = (async () => {
      try {
        while (waiting.length > 0 || draining.length > 0) {
          const wait = lastPassAt + minIntervalMs - Date.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          lastPassAt = Date.now();
          await pass();
        }
      } finally {
        running = null;
      }
    })();
  }

  async function pass(): Promise<void> {
    const waiters = waiting;
    waiting = [];
    const own = [...new Set(waiters.flatMap((w) => w.ids))].filter((id) => !settled.has(id));
    const shops = draining;
    draining = [];
    const started = Date.now();
    let outcome: BatchOutcome;
    try {
      outcome = await processWebhookBatch(deps, own, { shops, skip: leftBehind.set });
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error);
      return;
    }
    settled.add(outcome.settled);
    leftBehind.add(outcome.leftBehind);
    options.onPass?.({ own: own.length, settled: outcome.settled.length, ms: Date.now() - started });
    draining = outcome.busyShops;
    const individually = new Set(outcome.individually);
    for (const waiter of waiters) {
      waiter.resolve({ individually: waiter.ids.filter((id) => individually.has(id)) });
    }
  }

  return {
    process(webhookIds) {
      if (webhookIds.every((id) => settled.has(id))) return Promise.resolve({ individually: [] });
      return new Promise((resolve, reject) => {
        waiting.push({ ids: [...webhookIds], resolve, reject });
        kick();
      });
    },
    async idle() {
      while (running) await running;
    },
  };
}
