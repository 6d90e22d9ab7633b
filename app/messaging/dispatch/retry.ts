// When a message is tried again (pure). A retry answer (429, 5xx, timeout) is an outage, not a
// verdict on the message, so it never fails a message after a few quick attempts: the message is
// tried again with capped exponential backoff for at least RETRY_WINDOW_MS, or until its campaign
// ends (message.ts skips it then). Each delay keeps at least half of its step (equal jitter), and
// the provider's Retry-After is a floor on top of that, never a shortcut: a provider answering
// "Retry-After: 1" for a minute (or an hour) cannot use up the attempts in seconds. So a number of
// attempts stands for a least time spent retrying, and MAX_SEND_ATTEMPTS is where that least time
// reaches the window — no timestamp of the first attempt is needed.

export const RETRY_BASE_MS = 2_000;
export const RETRY_MAX_MS = 10 * 60_000;
/** How long, at least, retry answers are retried before a message fails. */
export const RETRY_WINDOW_MS = 24 * 3600_000;
const MAX_RETRY_AFTER_MS = 60 * 60_000;
const MAX_ERROR_CHARS = 500;

/** The backoff step after `attempts` attempts: the base doubling, at most RETRY_MAX_MS. */
function stepMs(attempts: number): number {
  const step = Math.min(Math.max(Math.floor(attempts), 1) - 1, 30);
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** step);
}

/** The least delay before the attempt after `attempts` attempts, whatever the provider says. */
export function minRetryDelayMs(attempts: number): number {
  return stepMs(attempts) / 2;
}

/** Delay before the next attempt of a message that has had `attempts` attempts. `random` in [0, 1). */
export function retryDelayMs(
  attempts: number,
  retryAfterMs: number | undefined,
  random: () => number,
): number {
  const r = Math.min(Math.max(random(), 0), 1);
  const step = stepMs(attempts);
  const backoff = step / 2 + (step / 2) * r;
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs > 0) {
    // A little jitter on top, so that every worker does not come back in the same millisecond.
    const wait = Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
    return Math.round(Math.max(backoff, wait + Math.min(wait * 0.1, 5_000) * r));
  }
  return Math.round(backoff);
}

/** The least time between a message's first attempt and its attempt number `attempts`. */
export function leastRetrySpanMs(attempts: number): number {
  let span = 0;
  for (let k = 1; k < attempts; k++) span += minRetryDelayMs(k);
  return span;
}

/** A retry answer to this attempt fails the message: it has been retried for RETRY_WINDOW_MS at least. */
export const MAX_SEND_ATTEMPTS = (() => {
  let attempts = 1;
  while (leastRetrySpanMs(attempts) < RETRY_WINDOW_MS) attempts += 1;
  return attempts;
})();

/**
 * A message whose worker died while sending it, again after the attempt before ended the same way,
 * fails once it has had this many attempts: a message that kills its worker must not do so forever.
 */
export const MAX_ABANDONED_ATTEMPTS = 10;

/**
 * How long every lane of a (shop, channel) holds off after a retry answer: the provider's
 * Retry-After, else 1 s doubling with each consecutive trouble in this process, at most 30 s.
 */
export function holdMs(streak: number, retryAfterMs: number | undefined): number {
  if (retryAfterMs !== undefined && retryAfterMs > 0) return Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
  return Math.min(30_000, 1_000 * 2 ** Math.min(Math.max(streak - 1, 0), 5));
}

/** What `lastError` keeps: one line, bounded. Channel reasons are already free of personal data. */
export function boundedError(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > MAX_ERROR_CHARS ? `${line.slice(0, MAX_ERROR_CHARS - 1)}…` : line;
}
