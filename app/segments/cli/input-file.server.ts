import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { lineBatches } from "../../sync/backfill/stream-jsonl.server";

// The command lines' files: checked before any work ("cannot read FILE: is a directory", exit 2),
// and read line by line; a read that fails halfway is the same one-line error, never a stack trace.

/** A file the command cannot read or write; the message is the one line the user sees. */
export class FileAccessError extends Error {
  override name = "FileAccessError";
}

const REASONS: Record<string, string> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "is a directory",
  ENOTDIR: "a part of the path is not a directory",
  ENXIO: "not a file (a socket or device without a reader)",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "name too long",
  EIO: "input/output error",
};

/** "is a directory", "permission denied"…: the system's reason in words, without a stack. */
export function describeFileError(error: unknown): string {
  const code =
    error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : undefined;
  return (
    (code && REASONS[code]) ??
    (code ? `error ${code}` : error instanceof Error ? error.message : String(error))
  );
}

/** Why `file` cannot be read as a text file, or null when it can. */
export async function unreadable(file: string): Promise<string | null> {
  let handle;
  try {
    handle = await open(file, "r");
    const stat = await handle.stat();
    if (stat.isDirectory()) return `cannot read ${file}: is a directory`;
    return null;
  } catch (error) {
    return `cannot read ${file}: ${describeFileError(error)}`;
  } finally {
    await handle?.close();
  }
}

/** The first of `files` that cannot be read, as its one-line message; null when all can. */
export async function firstUnreadable(files: readonly string[]): Promise<string | null> {
  for (const file of files) {
    const problem = await unreadable(file);
    if (problem) return problem;
  }
  return null;
}

export async function* linesOf(file: string): AsyncGenerator<string> {
  const batches = lineBatches(createReadStream(file, { highWaterMark: 1 << 20 }));
  for (;;) {
    let next: IteratorResult<string[]>;
    try {
      next = await batches.next();
    } catch (error) {
      throw new FileAccessError(`cannot read ${file}: ${describeFileError(error)}`);
    }
    if (next.done) return;
    for (const raw of next.value) yield raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  }
}
