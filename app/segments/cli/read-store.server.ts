import { stat } from "node:fs/promises";
import type { CustomerFacts } from "../../sync/backfill/fact-lines";
import { readInTurn, type ReadStore, type StoreFiles } from "./read-in-turn.server";
import { readTogether } from "./read-together.server";

// Both command lines read the store the same way: per customer the RFM aggregates, nothing per
// order but its id, a bad line reported as FILE:LINE: reason — the customers file's first, as if
// it were read first. Without `onCustomer`, large files are read on two threads
// (read-together.server.ts), with the same result as reading in turn.

export { StrictStop } from "./read-lines.server";
export type { ReadCounters, ReadStore, StoreFiles } from "./read-in-turn.server";

// A thread costs ~0.1 s to start: worth it from a customers file of about 100,000 lines, and the
// orders' second part from 16 MB.
const THREAD_FROM = 32 << 20;
const PART_FROM = 16 << 20;

const sizeOf = async (file: string): Promise<number> => (await stat(file)).size;

/**
 * Reads both files; `onCustomer` gets each accepted customer in slot order. Throws StrictStop at the
 * first bad line under `strict`, FileAccessError when a file cannot be read.
 */
export async function readStore(
  files: StoreFiles,
  stderr: (line: string) => void,
  onCustomer?: (customer: CustomerFacts) => void,
  { threadFrom = THREAD_FROM, partFrom = PART_FROM }: { threadFrom?: number; partFrom?: number } = {},
): Promise<ReadStore> {
  if (!onCustomer && (await sizeOf(files.customers)) >= threadFrom) {
    const together = await readTogether(files, stderr, partFrom);
    if (together) return together;
  }
  return readInTurn(files, stderr, onCustomer);
}
