/** A reason not to send after all (the customer ordered meanwhile), or null to go ahead. */
export type AtTurn = () => Promise<string | null>;

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

  /**
   * Like `run`, but once the slot is ours `atTurn` may still give a reason not to run the task: a
   * message that waited here behind others is looked at again right before it goes on the wire.
   */
  async runAtTurn<T>(
    task: () => Promise<T>,
    atTurn: AtTurn | undefined,
  ): Promise<{ ran: true; value: T } | { ran: false; withdrawn: string }> {
    return this.run(async () => {
      const withdrawn = atTurn ? await atTurn() : null;
      if (withdrawn !== null) return { ran: false, withdrawn } as const;
      return { ran: true, value: await task() } as const;
    });
  }

  get pending(): number {
    return this.active + this.waiting.length;
  }
}
