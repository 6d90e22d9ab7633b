import { Rng } from "../emulator/generator/prng";
import type { CartLine } from "../emulator/generator/types";

// The peak the rehearsal replays, as timed events (ms from the start of the peak). Pure and
// deterministic for a seed.
//
// The compressed clock: flows keep their real delays (the shop runs the abandoned checkout's
// shortest allowed ones), and the events say their checkouts were last touched in the past, so each
// first message comes due a short, known time D after its webhook: a checkout posted at t says it
// was last active at t − firstWait + D. Yesterday's abandoned checkouts, posted before the peak,
// say they were last active firstWait + reminderWait before the moment their first reminder is to
// come due inside the peak. The app's clock, waits and exits stay untouched.

export type ProfileEvent =
  | {
      kind: "checkout";
      at: number;
      session: number;
      customer: number | null;
      lines: CartLine[];
      /** the checkout's updated_at (ms from the start) */
      activityAt: number;
      completed: boolean;
      first: boolean;
    }
  | { kind: "order"; at: number; session: number | null; customer: number; lines: CartLine[] }
  | { kind: "consent"; at: number; customer: number; channel: "email" | "sms"; subscribed: boolean }
  | { kind: "stock"; at: number; product: number; quantity: number };

export type SessionKind = "completed" | "abandoned" | "returned" | "yesterday";

export interface Session {
  session: number;
  kind: SessionKind;
  customer: number | null;
  /** when the abandoned checkout's first message is due, ms from the start */
  firstDueAt: number;
  /** when it is due by the checkout's first webhook alone (the app may not have the later one yet) */
  firstDueEarliest: number;
  /** yesterday's: when its first reminder is due */
  reminderDueAt: number | null;
}

export interface ProfileInput {
  scale: number;
  minutes: number;
  abandoned: number;
  seed: number;
  customers: number;
  /** the store's products: how many variants each has */
  variants: readonly number[];
  firstWaitMs: number;
  reminderWaitMs: number;
}

export interface Profile {
  /** posted before the peak, in this order */
  setup: ProfileEvent[];
  /** the peak, by time */
  run: ProfileEvent[];
  sessions: Session[];
  /** products sold out during the peak (they stay sold out) */
  soldOut: number[];
  /** the time of the peak's last event */
  endsAt: number;
}

const SECOND = 1_000;
// Shares of the peak's webhooks: checkouts with their orders, consent changes, repeat orders, stock.
const SHARES = { checkout: 0.8, consent: 0.12, repeat: 0.06, stock: 0.02 } as const;

export function planProfile(input: ProfileInput): Profile {
  const runMs = Math.round(input.minutes * 60 * SECOND);
  const total = Math.max(1, Math.round(input.scale * input.minutes * 60));
  const rng = Rng.for(input.seed, 71, 0);
  // D: how long after its last webhook a first message comes due.
  const dMin = Math.min(45 * SECOND, runMs * 0.3);
  const dMax = Math.min(120 * SECOND, runMs * 0.6);
  const products = input.variants.length;
  const popular = Math.max(1, Math.ceil(products * 0.4));
  const soldOut = pickDistinct(rng, popular, Math.max(1, Math.ceil(products * 0.1)));
  const soldOutAt = new Map(
    soldOut.map((p, i) => [p, Math.round(((i + 0.5) / soldOut.length) * runMs * 0.7)]),
  );
  const hot = Math.max(1, Math.floor(input.customers * 0.01));
  const customer = () => (rng.chance(0.05) ? rng.int(0, hot - 1) : rng.int(0, input.customers - 1));
  const cart = (at: number): CartLine[] => {
    const lines: CartLine[] = [];
    for (let n = rng.int(1, 3), tries = 0; lines.length < n && tries < 20; tries++) {
      const p = rng.chance(0.8) ? rng.int(0, popular - 1) : rng.int(0, products - 1);
      if ((soldOutAt.get(p) ?? Infinity) <= at || lines.some((l) => l.productIndex === p)) continue;
      lines.push({
        productIndex: p,
        variantIndex: rng.int(0, Math.max(0, (input.variants[p] ?? 1) - 1)),
        quantity: rng.int(1, 2),
      });
    }
    return lines;
  };
  const spread = (n: number) =>
    Array.from({ length: n }, (_, i) => Math.round(((i + rng.next()) / n) * runMs));

  const run: ProfileEvent[] = [];
  const sessions: Session[] = [];
  const perCheckout = 1 + 0.5 + (1 - input.abandoned) * 2 + input.abandoned * 0.25;
  for (const start of spread(Math.round((total * SHARES.checkout) / perCheckout))) {
    const session = sessions.length;
    const who = rng.chance(0.1) ? null : customer();
    let lines = cart(start);
    if (lines.length === 0) continue;
    const d = Math.round(dMin + rng.next() * (dMax - dMin));
    const post = (at: number, first: boolean, completed = false) =>
      run.push({
        kind: "checkout",
        at,
        session,
        customer: who,
        lines,
        activityAt: at - input.firstWaitMs + d,
        completed,
        first,
      });
    post(start, true);
    let last = start;
    if (rng.chance(0.5)) {
      last = start + rng.int(1, Math.max(1, Math.min(5, Math.floor(d / SECOND / 2)))) * SECOND;
      lines = rng.chance(0.5) && lines.length > 1 ? lines.slice(1) : lines;
      post(last, false);
    }
    const firstDueAt = Math.round(last + d);
    const abandoned = rng.chance(input.abandoned);
    const returned = abandoned && who !== null && rng.chance(0.25);
    const kind: SessionKind = !abandoned ? "completed" : returned ? "returned" : "abandoned";
    sessions.push({
      session,
      kind,
      customer: who,
      firstDueAt,
      firstDueEarliest: start + d,
      reminderDueAt: null,
    });
    if (kind === "abandoned") continue;
    // Most order within seconds; those who come back do so around the first message.
    const orderAt =
      kind === "completed"
        ? last + rng.int(2, Math.max(2, Math.floor(d / SECOND) - 5)) * SECOND
        : firstDueAt + rng.int(-5, Math.round(dMax / SECOND / 4)) * SECOND;
    if (who !== null) run.push({ kind: "order", at: orderAt, session, customer: who, lines });
    if (kind === "completed")
      run.push({
        kind: "checkout",
        at: orderAt + 500,
        session,
        customer: who,
        lines,
        activityAt: orderAt + 500,
        completed: true,
        first: false,
      });
  }
  for (const at of spread(Math.round(total * SHARES.consent))) {
    const r = rng.next();
    run.push({
      kind: "consent",
      at,
      customer: customer(),
      channel: r < 0.15 ? "sms" : "email",
      subscribed: r < 0.75,
    });
  }
  for (const at of spread(Math.round(total * SHARES.repeat))) {
    const lines = cart(at);
    if (lines.length > 0) run.push({ kind: "order", at, session: null, customer: customer(), lines });
  }
  for (const [product, at] of soldOutAt) run.push({ kind: "stock", at, product, quantity: 0 });
  const sold = new Set(soldOut);
  for (const at of spread(Math.max(0, Math.round(total * SHARES.stock) - soldOut.length))) {
    const product = rng.int(0, products - 1);
    if (!sold.has(product)) run.push({ kind: "stock", at, product, quantity: rng.int(5, 50) });
  }
  run.sort((a, b) => a.at - b.at);

  // Yesterday's abandoned checkouts: as many as today's, their first reminders due across the peak.
  const setup: ProfileEvent[] = [];
  const yesterday = sessions.filter((s) => s.kind !== "completed").length;
  for (let i = 0; i < yesterday; i++) {
    const session = sessions.length;
    const who = customer();
    const reminderDueAt = Math.round(dMin + rng.next() * Math.max(0, runMs - dMin));
    const activityAt = reminderDueAt - input.reminderWaitMs - input.firstWaitMs;
    const lines = cart(-1);
    if (lines.length === 0) continue;
    sessions.push({
      session,
      kind: "yesterday",
      customer: who,
      firstDueAt: activityAt + input.firstWaitMs,
      firstDueEarliest: activityAt + input.firstWaitMs,
      reminderDueAt,
    });
    setup.push({
      kind: "checkout",
      at: -1,
      session,
      customer: who,
      lines,
      activityAt,
      completed: false,
      first: true,
    });
  }
  return { setup, run, sessions, soldOut, endsAt: run[run.length - 1]?.at ?? 0 };
}

function pickDistinct(rng: Rng, from: number, count: number): number[] {
  const picked = new Set<number>();
  while (picked.size < Math.min(count, from)) picked.add(rng.int(0, from - 1));
  return [...picked];
}
