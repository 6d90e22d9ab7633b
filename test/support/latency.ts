/**
 * The longest wait for `url` (a plain page), asked every 20 ms while `work` runs, and how many
 * answers came: what a shop's requests feel while someone else's work runs.
 */
export async function worstLatencyDuring(
  url: string,
  work: () => Promise<unknown>,
): Promise<{ worstMs: number; requests: number }> {
  let running = true;
  let worstMs = 0;
  let requests = 0;
  const poll = (async () => {
    while (running) {
      const started = performance.now();
      await (await fetch(url)).text();
      worstMs = Math.max(worstMs, performance.now() - started);
      requests += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  try {
    await new Promise((resolve) => setTimeout(resolve, 200));
    await work();
  } finally {
    running = false;
    await poll;
  }
  return { worstMs, requests };
}
