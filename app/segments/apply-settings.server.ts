import type { JobQueue } from "../jobs/index.server";
import { rescoreDay, rescoreShopJob } from "./jobs";
import { syncSegmentTagsJob } from "./tags/jobs";

/** After Settings saved: new numbers rescore everyone now; a changed tag option writes or removes tags. */
export async function applySegmentSettings(
  queue: JobQueue,
  shop: string,
  change: { rescore: boolean; retag: boolean },
): Promise<void> {
  // The rescore job queues the tag sync itself when it finishes.
  if (change.rescore) {
    await queue.enqueue(rescoreShopJob, { shop, day: rescoreDay(new Date()) }, { shop, rerun: true });
  } else if (change.retag) {
    await queue.enqueue(syncSegmentTagsJob, { shop, runKey: `settings-${Date.now()}` }, { shop });
  }
}
