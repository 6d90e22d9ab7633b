import type { FlowDefinition } from "../definition";
import type { DueStep, Enrollment } from "../model";

// The replay's durable timers: one per waiting enrollment, the earliest wakeAt first (an
// enrollment's id breaks a tie, as the app's scheduler orders a batch). A min-heap whose stale
// entries (a timer moved or ended since) are dropped when they come up. Pure.

export interface Timer {
  flow: FlowDefinition;
  enrollment: Enrollment;
  due: DueStep;
}

interface Entry {
  at: number;
  id: string;
  version: number;
}

const before = (a: Entry, b: Entry) => a.at < b.at || (a.at === b.at && a.id < b.id);

export class Timers {
  private readonly heap: Entry[] = [];
  private serial = 0;
  private readonly live = new Map<string, Timer & { version: number }>();
  /** waiting enrollment ids per customer (an order wakes them) */
  private readonly byCustomer = new Map<string, Set<string>>();

  get size(): number {
    return this.live.size;
  }

  /** Sets (or replaces) the enrollment's timer. */
  set(timer: Timer): void {
    const id = timer.enrollment.id;
    // never reused, so an entry of an ended timer never comes back to life
    const version = ++this.serial;
    this.live.set(id, { ...timer, version });
    const mine = this.byCustomer.get(timer.enrollment.customerId) ?? new Set<string>();
    this.byCustomer.set(timer.enrollment.customerId, mine.add(id));
    this.push({ at: timer.due.wakeAt.getTime(), id, version });
  }

  /** The enrollment is done: no timer. */
  end(enrollment: Enrollment): void {
    this.live.delete(enrollment.id);
    this.byCustomer.get(enrollment.customerId)?.delete(enrollment.id);
  }

  /** The customer's timers due after `at` come forward to `at` (an order may end them). */
  wake(customerId: string, at: Date, flowKeys: ReadonlySet<string>): void {
    for (const id of this.byCustomer.get(customerId) ?? []) {
      const timer = this.live.get(id);
      if (timer && flowKeys.has(timer.enrollment.flowKey) && timer.due.wakeAt > at)
        this.set({ ...timer, due: { ...timer.due, wakeAt: at } });
    }
  }

  /** The earliest wakeAt, or null when no timer is left. */
  next(): Date | null {
    this.dropStale();
    const top = this.heap[0];
    return top ? new Date(top.at) : null;
  }

  /** Every timer due at or before `at`, earliest first, taken off the queue. */
  takeDue(at: Date): Timer[] {
    const due: Timer[] = [];
    for (this.dropStale(); (this.heap[0]?.at ?? Infinity) <= at.getTime(); this.dropStale()) {
      const entry = this.pop();
      const timer = entry && this.live.get(entry.id);
      if (timer) due.push({ flow: timer.flow, enrollment: timer.enrollment, due: timer.due });
    }
    return due;
  }

  /** The timers still waiting, earliest first (at the end of the window). */
  waiting(): Timer[] {
    return [...this.live.values()].sort((a, b) =>
      before(
        { at: a.due.wakeAt.getTime(), id: a.enrollment.id, version: 0 },
        { at: b.due.wakeAt.getTime(), id: b.enrollment.id, version: 0 },
      )
        ? -1
        : 1,
    );
  }

  private dropStale(): void {
    for (let top = this.heap[0]; top && this.live.get(top.id)?.version !== top.version; top = this.heap[0])
      this.pop();
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    for (let i = heap.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      const [p, c] = [heap[parent], heap[i]];
      if (!p || !c || !before(c, p)) break;
      [heap[parent], heap[i]] = [c, p];
      i = parent;
    }
  }

  private pop(): Entry | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || !last) return top;
    heap[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      const at = (k: number) => heap[k];
      const lv = at(l);
      const rv = at(r);
      const cur = at(least);
      if (lv && cur && before(lv, cur)) least = l;
      const best = at(least);
      if (rv && best && before(rv, best)) least = r;
      if (least === i) break;
      const [a, b] = [heap[i], heap[least]];
      if (!a || !b) break;
      [heap[i], heap[least]] = [b, a];
      i = least;
    }
    return top;
  }
}
