import { open, type FileHandle } from "node:fs/promises";

// A file's lines as byte ranges of reused read buffers: large reads, the next one in flight while
// the lines of this one are visited, line ends found by the native byte search, nothing decoded.
// The lines are the ones lineBatches gives: a BOM at the file's start is skipped, the last line may
// lack its newline, a "\r" before a newline stays in the line.

/** Called for each line buf[start, end), without its "\n"; the bytes are only valid during the call. */
export type LineVisitor = (buf: Buffer, start: number, end: number) => void;

const CHUNK = 4 << 20;
// Room before each read for the unfinished line of the chunk before it.
const CARRY = 64 << 10;

interface Chunk {
  buf: Buffer;
  /** where this chunk's read bytes start (after the carry room) */
  at: number;
  bytesRead: number;
}

async function readInto(handle: FileHandle, buf: Buffer, at: number, position: number, upTo: number): Promise<Chunk> {
  const length = Math.min(buf.length - at, upTo - position);
  if (length <= 0) return { buf, at, bytesRead: 0 };
  const { bytesRead } = await handle.read(buf, at, length, position);
  return { buf, at, bytesRead };
}

export interface LineOptions {
  chunkBytes?: number;
  carryBytes?: number;
  /** Where to start: 0, or the first byte of a line. */
  from?: number;
  /** Where to stop: a line's first byte, or past the end. */
  to?: number;
}

/**
 * Reads `file` from `from` to `to` (the whole file by default), calling `visit` for every line; a
 * line of any length is whole.
 */
export async function forEachLine(
  file: string,
  visit: LineVisitor,
  { chunkBytes = CHUNK, carryBytes = CARRY, from = 0, to = Number.MAX_SAFE_INTEGER }: LineOptions = {},
): Promise<void> {
  const handle = await open(file, "r");
  const buffers = [Buffer.allocUnsafe(carryBytes + chunkBytes), Buffer.allocUnsafe(carryBytes + chunkBytes)];
  let position = from;
  const readNext = (buf: Buffer): Promise<Chunk> =>
    readInto(handle, buf, carryBytes, position, to).then((chunk) => {
      position += chunk.bytesRead;
      return chunk;
    });
  let next = readNext(buffers[0]!);
  let which = 0;
  // the unfinished line, when it outgrew the carry room
  let long: Buffer | null = null;
  let carry: { buf: Buffer; from: number; to: number } | null = null;
  let first = from === 0;
  // a BOM with no newline after it yet: the file's one line, even if empty, as lineBatches has it
  let bomLine = false;
  try {
    for (;;) {
      const chunk = await next;
      const done = chunk.bytesRead === 0;
      let { buf, at } = chunk;
      let end = at + chunk.bytesRead;
      if (carry) {
        const held = carry.to - carry.from;
        if (held <= at) {
          carry.buf.copy(buf, at - held, carry.from, carry.to);
          at -= held;
        } else {
          long = Buffer.concat([carry.buf.subarray(carry.from, carry.to), buf.subarray(at, end)]);
          [buf, at, end] = [long, 0, long.length];
        }
        carry = null;
      }
      // the next read, into the other buffer, runs while this chunk's lines are visited
      which ^= 1;
      if (!done) next = readNext(buffers[which]!);
      // the BOM is looked for once three bytes are in, or the first line or the file ends before
      if (first && (end - at >= 3 || done || buf.subarray(at, end).includes(10))) {
        first = false;
        if (end - at >= 3 && buf[at] === 0xef && buf[at + 1] === 0xbb && buf[at + 2] === 0xbf) {
          at += 3;
          bomLine = true;
        }
      }
      const view = buf.subarray(0, end);
      let start = at;
      for (let nl = view.indexOf(10, start); nl !== -1; nl = view.indexOf(10, start)) {
        visit(view, start, nl);
        start = nl + 1;
        bomLine = false;
      }
      if (done) {
        if (start < end || bomLine) visit(view, start, end);
        return;
      }
      // Kept for the next chunk: it is copied before that chunk's bytes, or joined with them.
      if (start < end) {
        const copy = buf === long || end - start > carryBytes ? Buffer.from(buf.subarray(start, end)) : null;
        carry = copy ? { buf: copy, from: 0, to: copy.length } : { buf, from: start, to: end };
      }
    }
  } finally {
    await next.catch(() => undefined);
    await handle.close();
  }
}
