// A three-stage pipeline for planning: the next page is fetched while the current one is processed,
// and up to `maxWrites` writes run at once, so the database (reads, inserts) and Node (planning)
// work at the same time. Pure orchestration: the steps do the IO.

export interface PipelineSteps<Page, Out> {
  /** the page after `previous` (null: the first); null when there is none */
  fetch(previous: Page | null): Promise<Page | null>;
  /** the CPU work on one page */
  process(page: Page): Out;
  write(out: Out): Promise<void>;
  /** writes in flight at most (≥ 1) */
  maxWrites: number;
}

// A promise awaited later must not count as unhandled meanwhile.
const quiet = (promise: Promise<unknown>): void => void promise.catch(() => undefined);

/** Runs every page through process and write; on the first failure waits for the rest, then throws it. */
export async function runPipeline<Page, Out>(steps: PipelineSteps<Page, Out>): Promise<void> {
  const writes = new Set<Promise<void>>();
  const failures: unknown[] = [];
  let fetching: Promise<Page | null> | null = steps.fetch(null);
  quiet(fetching);
  try {
    for (;;) {
      const page: Page | null = await fetching;
      fetching = null;
      if (failures.length > 0 || page === null) break;
      fetching = steps.fetch(page);
      quiet(fetching);
      const out = steps.process(page);
      while (writes.size >= Math.max(1, steps.maxWrites)) await Promise.race(writes);
      if (failures.length > 0) break;
      // Settles without rejecting: the failure is kept and thrown once everything in flight is done.
      const write: Promise<void> = steps.write(out).then(
        () => void writes.delete(write),
        (error: unknown) => {
          writes.delete(write);
          failures.push(error);
        },
      );
      writes.add(write);
    }
  } finally {
    await Promise.allSettled([...writes, ...(fetching ? [fetching] : [])]);
  }
  if (failures.length > 0) throw failures[0];
}
