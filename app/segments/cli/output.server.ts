import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import { dirname } from "node:path";
import type { Writable } from "node:stream";
import { describeFileError, FileAccessError } from "./input-file.server";

// Where a command line's CSV goes: a file (--out) or standard output, written in chunks with
// backpressure, so only one chunk is ever held. A file that cannot be written is one line.

const CHUNK_LINES = 4096;

/** Why the CSV cannot go to `out`, checked before any work; null when it looks writable. */
export async function unwritable(out: string | null): Promise<string | null> {
  if (out === null) return null;
  try {
    if ((await stat(out)).isDirectory()) return `cannot write ${out}: is a directory`;
    return null;
  } catch (error) {
    if (!(error instanceof Error && "code" in error && error.code === "ENOENT"))
      return `cannot write ${out}: ${describeFileError(error)}`;
  }
  try {
    if (!(await stat(dirname(out))).isDirectory())
      return `cannot write ${out}: a part of the path is not a directory`;
    return null;
  } catch (error) {
    const missing = error instanceof Error && "code" in error && error.code === "ENOENT";
    return `cannot write ${out}: ${missing ? `no such directory ${dirname(out)}` : describeFileError(error)}`;
  }
}

async function write(out: Writable, chunk: string | Uint8Array): Promise<void> {
  if (!out.write(chunk)) await once(out, "drain");
}

function* joined(header: string, lines: Iterable<string>): Generator<string> {
  yield `${header}\n`;
  let chunk: string[] = [];
  for (const line of lines) {
    chunk.push(line);
    if (chunk.length >= CHUNK_LINES) {
      yield `${chunk.join("\n")}\n`;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield `${chunk.join("\n")}\n`;
}

/** Writes `header` and every line of `lines`, each ending in a newline. Throws FileAccessError. */
export async function writeOutput(
  out: string | null,
  stdout: Writable,
  header: string,
  lines: Iterable<string>,
): Promise<void> {
  await writeChunks(out, stdout, joined(header, lines));
}

/** Writes the chunks one after the other, each handed over (a chunk's bytes must not be reused). Throws FileAccessError. */
export async function writeChunks(
  out: string | null,
  stdout: Writable,
  chunks: Iterable<string | Uint8Array>,
): Promise<void> {
  const stream = out === null ? stdout : createWriteStream(out);
  const done = out === null ? Promise.resolve() : once(stream, "finish");
  const failed = new Promise<never>((_, reject) => stream.once("error", reject));
  failed.catch(() => undefined);
  const writeAll = async (): Promise<void> => {
    for (const chunk of chunks) await write(stream, chunk);
    if (out !== null) stream.end();
    await done;
  };
  try {
    await Promise.race([writeAll(), failed]);
  } catch (error) {
    throw new FileAccessError(`cannot write ${out ?? "standard output"}: ${describeFileError(error)}`);
  }
}
