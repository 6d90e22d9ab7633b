import type { LineResult } from "./parse-lines";

// Streams a bulk JSONL result: the body is read chunk by chunk and split into lines (a line may
// span chunks, the last line may lack its newline), each line parsed on its own, rows stored in
// batches. Memory holds one chunk and one batch, never the file. A bad line is logged (number and
// reason — no content) and skipped; the rest of the file still loads.

export interface StreamProgress {
  /** lines read so far (1-based number of the last line) */
  lines: number;
  /** rows handed to `store` and written */
  stored: number;
  /** lines that did not parse */
  skipped: number;
  bytes: number;
}

export interface StreamJsonlOptions<T> {
  url: string;
  /** a line's row, or why it has none; "held": the row comes out with a later line (bulk families) */
  parse(text: string, line: number): LineResult<T> | { kind: "held" };
  /** rows the parser still holds once the file has ended (a bulk family's last parent) */
  end?(): T[];
  /** writes one batch (e.g. upsertCustomers); resolves when it is durable */
  store(rows: T[]): Promise<unknown>;
  log(line: string): void;
  /** called at most every `progressIntervalMs`, and once at the end; may throw to stop */
  onProgress?(progress: StreamProgress): void | Promise<void>;
  batchSize?: number;
  /** batches written at the same time (default 1): parsing overlaps the database's work */
  concurrency?: number;
  progressIntervalMs?: number;
  /** what the log lines call the file, e.g. "orders" */
  label?: string;
  now?: () => number;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

/**
 * Splits a byte stream into lines, yielding the complete lines of each chunk as one array. Lines are
 * found in the bytes (memchr) and decoded one by one: a newline byte never occurs inside a UTF-8
 * sequence, and this is four times faster than decoding the chunk and splitting the string.
 */
export async function* lineBatches(
  source: AsyncIterable<Uint8Array>,
  counter?: { bytes: number },
): AsyncGenerator<string[]> {
  let rest: Buffer | null = null;
  let first = true;
  for await (const chunk of source) {
    if (counter) counter.bytes += chunk.byteLength;
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const buffer: Buffer = rest ? Buffer.concat([rest, bytes]) : bytes;
    const lines: string[] = [];
    let start = 0;
    for (let end = buffer.indexOf(10, start); end !== -1; end = buffer.indexOf(10, start)) {
      lines.push(buffer.toString("utf8", start, end));
      start = end + 1;
    }
    // copied: the source may reuse its chunk's memory
    rest = start < buffer.length ? Buffer.from(buffer.subarray(start)) : null;
    if (lines.length > 0) {
      if (first) lines[0] = withoutBom(lines[0] ?? "");
      first = false;
      yield lines;
    }
  }
  if (rest) yield [first ? withoutBom(rest.toString("utf8")) : rest.toString("utf8")];
}

const withoutBom = (line: string): string => (line.startsWith("\uFEFF") ? line.slice(1) : line);
const stripCr = (line: string): string => (line.endsWith("\r") ? line.slice(0, -1) : line);

/** Streams the JSONL at `url` into `store`; returns the final counts. */
export async function streamJsonl<T>(options: StreamJsonlOptions<T>): Promise<StreamProgress> {
  const batchSize = options.batchSize ?? 2000;
  const interval = options.progressIntervalMs ?? 500;
  const now = options.now ?? Date.now;
  const label = options.label ?? "bulk file";
  const response = await (options.fetch ?? fetch)(options.url, { signal: options.signal });
  if (!response.ok || !response.body) {
    throw new Error(`downloading the ${label} bulk result failed: HTTP ${response.status}`);
  }
  const progress: StreamProgress = { lines: 0, stored: 0, skipped: 0, bytes: 0 };
  let batch: T[] = [];
  let lastReport = now();
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const inFlight: Array<Promise<void>> = [];

  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    const write = options.store(rows).then(() => {
      progress.stored += rows.length;
    });
    write.catch(() => undefined); // awaited below; never an unhandled rejection
    inFlight.push(write);
    while (inFlight.length >= concurrency) await inFlight.shift();
  };
  const drain = async (): Promise<void> => {
    while (inFlight.length > 0) await inFlight.shift();
  };
  const report = async (force: boolean): Promise<void> => {
    if (!options.onProgress) return;
    const t = now();
    if (!force && t - lastReport < interval) return;
    lastReport = t;
    await options.onProgress({ ...progress });
  };

  const body = response.body as unknown as AsyncIterable<Uint8Array>;
  for await (const lines of lineBatches(body, progress)) {
    for (const raw of lines) {
      progress.lines += 1;
      const text = stripCr(raw);
      if (text.trim() === "") {
        progress.skipped += 1;
        options.log(`${label} line ${progress.lines} skipped: empty line`);
        continue;
      }
      const result = options.parse(text, progress.lines);
      if (result.kind === "row") {
        batch.push(result.row);
        if (batch.length >= batchSize) {
          await flush();
          await report(false);
        }
      } else if (result.kind === "error") {
        progress.skipped += 1;
        options.log(`${label} line ${result.line} skipped: ${result.reason}`);
      }
    }
    await report(false);
  }
  batch.push(...(options.end?.() ?? []));
  await flush();
  await drain();
  await report(true);
  return progress;
}
