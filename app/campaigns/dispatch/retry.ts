// When a message is tried again (pure). Exponential backoff with equal jitter: at least half of
// each step is kept, so ten attempts span minutes and a provider that is down for a minute or two
// only delays messages; Retry-After from the provider wins, with a little jitter on top so that
// every worker does not come back in the same millisecond.

export const MAX_SEND_ATTEMPTS = 10;
export const RETRY_BASE_MS = 2_000;
export const RETRY_MAX_MS = 10 * 60_000;
const MAX_RETRY_AFTER_MS = 60 * 60_000;
const MAX_ERROR_CHARS = 500;

/** Delay before the next attempt of a message that has had `attempts` attempts. `random` in [0, 1). */
export function retryDelayMs(
  attempts: number,
  retryAfterMs: number | undefined,
  random: () => number,
): number {
  const r = Math.min(Math.max(random(), 0), 1);
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs > 0) {
    const wait = Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
    return Math.round(wait + Math.min(wait * 0.1, 5_000) * r);
  }
  const step = Math.min(Math.max(attempts, 1) - 1, 30);
  const ceiling = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** step);
  return Math.round(ceiling / 2 + (ceiling / 2) * r);
}

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
