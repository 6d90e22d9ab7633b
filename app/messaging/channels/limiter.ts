/**
 * At most `max` tasks at once; the rest wait in order. Channels start their timeouts only once a
 * task runs, so time spent queued behind our own traffic is never blamed on the provider, and the
 * number of sockets to one provider stays bounded.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new Error("Limiter needs a positive integer");
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await task();
    } finally {
      // hand the slot straight to the next waiter, so `active` never dips below the queue's need
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }

  get pending(): number {
    return this.active + this.waiting.length;
  }
}
