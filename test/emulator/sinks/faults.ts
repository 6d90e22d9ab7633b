// Fault injection: the next requests to a sink fail the way providers fail.
//
//   sinks.failNext({ channel: "twilio", status: 429, retryAfterSeconds: 2 })     one 429
//   sinks.failNext({ channel: "webhook", status: 500, count: 3 })                three 500s
//   sinks.failNext({ channel: "smtp", status: 451, forMs: 2000 })                451 for 2 s
//   sinks.failNext({ channel: "smtp", timeout: true })                           no answer
//   sinks.failNext({ channel: "twilio", timeout: true, afterAccept: true })       accepted (and
//        counted), then no answer: the client cannot know, and re-sends with the same key
//
// `status` is an HTTP status for twilio/webhook and an SMTP reply code for smtp. Without `count`
// a fault applies once, or to every request within `forMs` when that is given.

export type SinkChannel = "smtp" | "twilio" | "webhook";

export type FaultSpec = { channel: SinkChannel; count?: number; forMs?: number } & (
  | { status: number; retryAfterSeconds?: number; message?: string }
  | { timeout: true; afterAccept?: boolean; hangMs?: number }
);

export type Fault =
  | { kind: "status"; status: number; retryAfterSeconds?: number; message?: string }
  | { kind: "timeout"; afterAccept: boolean; hangMs: number };

interface Planned {
  fault: Fault;
  remaining: number;
  until: number;
}

const DEFAULT_HANG_MS = 30_000;

export class FaultPlan {
  private readonly plans = new Map<SinkChannel, Planned[]>();
  private readonly timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();

  constructor(private readonly now: () => number = Date.now) {}

  add(spec: FaultSpec): void {
    if (spec.count !== undefined && (!Number.isInteger(spec.count) || spec.count < 1))
      throw new Error("failNext: count must be a positive integer");
    const fault: Fault =
      "status" in spec
        ? {
            kind: "status",
            status: spec.status,
            retryAfterSeconds: spec.retryAfterSeconds,
            message: spec.message,
          }
        : { kind: "timeout", afterAccept: spec.afterAccept ?? false, hangMs: spec.hangMs ?? DEFAULT_HANG_MS };
    const remaining = spec.count ?? (spec.forMs !== undefined ? Number.POSITIVE_INFINITY : 1);
    const until = spec.forMs !== undefined ? this.now() + spec.forMs : Number.POSITIVE_INFINITY;
    const list = this.plans.get(spec.channel) ?? [];
    list.push({ fault, remaining, until });
    this.plans.set(spec.channel, list);
  }

  /** The fault for this request, if any; consumes one use. */
  take(channel: SinkChannel): Fault | undefined {
    const list = this.plans.get(channel);
    if (!list) return undefined;
    const now = this.now();
    while (list.length > 0) {
      const head = list[0];
      if (head && head.remaining > 0 && now <= head.until) {
        head.remaining -= 1;
        return head.fault;
      }
      list.shift();
    }
    this.plans.delete(channel);
    return undefined;
  }

  /** Waits as a stalled provider would; ends early when the sinks close. */
  hang(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = { timer: setTimeout(() => this.release(entry), ms), resolve };
      entry.timer.unref();
      this.timers.add(entry);
    });
  }

  private release(entry: { timer: NodeJS.Timeout; resolve: () => void }): void {
    clearTimeout(entry.timer);
    this.timers.delete(entry);
    entry.resolve();
  }

  clear(): void {
    this.plans.clear();
  }

  close(): void {
    this.clear();
    for (const entry of [...this.timers]) this.release(entry);
  }
}
