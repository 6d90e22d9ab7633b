// The write-backs of one shop (tags, segment metafields) take turns within a process: two runs
// never write the same customers at once, and a shop's bulk mutations (one at a time in Shopify)
// do not race each other for the slot.

const running = new Map<string, Promise<unknown>>();

/** Runs `work` after the shop's write-back before it has settled (whether it failed or not). */
export async function inTurn<T>(shop: string, work: () => Promise<T>): Promise<T> {
  const previous = running.get(shop);
  const turn = (previous ? previous.catch(() => undefined) : Promise.resolve()).then(work);
  running.set(shop, turn);
  try {
    return await turn;
  } finally {
    if (running.get(shop) === turn) running.delete(shop);
  }
}
