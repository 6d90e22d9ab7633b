import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { lineBatches } from "../backfill/stream-jsonl.server";
import { forEachLine } from "./file-lines.server";

// The oracle is lineBatches, the backfill's own splitter: the same lines, byte for byte, whatever
// the read sizes and however long the lines are.

const dir = mkdtempSync(join(tmpdir(), "file-lines-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

async function viaBatches(bytes: Uint8Array): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of lineBatches(Readable.from([Buffer.from(bytes)]))) out.push(...batch);
  return out;
}

async function viaFile(
  bytes: Uint8Array,
  chunkBytes: number,
  carryBytes: number,
  ranges: [number, number][] = [[0, Infinity]],
): Promise<string[]> {
  const file = join(dir, `f${files++}`);
  writeFileSync(file, bytes);
  const out: string[] = [];
  for (const [from, to] of ranges)
    await forEachLine(file, (buf, start, end) => out.push(buf.toString("utf8", start, end)), {
      chunkBytes,
      carryBytes,
      from,
      to,
    });
  return out;
}

const piece = fc.oneof(
  fc.constantFrom("\n", "\r\n", "\r", "{", "}", "\uFEFF", "é", "\n\n"),
  fc.string({ maxLength: 12 }),
  fc.string({ minLength: 20, maxLength: 80 }),
);

describe("forEachLine", () => {
  it("gives the lines lineBatches gives, for any read and carry size", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(piece, { maxLength: 40 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 0, max: 32 }),
        async (bom, pieces, chunkBytes, carryBytes) => {
          const bytes = Buffer.from((bom ? "\uFEFF" : "") + pieces.join(""));
          expect(await viaFile(bytes, chunkBytes, carryBytes)).toEqual(await viaBatches(bytes));
        },
      ),
      { numRuns: 400 },
    );
  });

  it("reads a file in ranges split at line starts as the lines of the whole (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(piece, { maxLength: 40 }),
        fc.integer({ min: 1, max: 64 }),
        fc.array(fc.nat(), { maxLength: 3 }),
        async (bom, pieces, chunkBytes, cuts) => {
          const bytes = Buffer.from((bom ? "\uFEFF" : "") + pieces.join(""));
          // split after newlines only, as a caller does
          const starts = [...bytes.entries()].filter(([, b]) => b === 10).map(([i]) => i + 1);
          const at = [...new Set(cuts.map((c) => starts[c % Math.max(1, starts.length)] ?? 0))]
            .filter((c) => c > 0)
            .sort((a, b) => a - b);
          const bounds = [0, ...at, Infinity];
          const ranges = bounds.slice(1).map((to, i): [number, number] => [bounds[i] ?? 0, to]);
          expect(await viaFile(bytes, chunkBytes, 8, ranges)).toEqual(await viaBatches(bytes));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("reads an empty file as no lines, and one without a final newline whole", async () => {
    expect(await viaFile(new Uint8Array(0), 8, 4)).toEqual([]);
    expect(await viaFile(Buffer.from("\uFEFF"), 8, 4)).toEqual([""]);
    expect(await viaFile(Buffer.from("ab\ncd"), 3, 1)).toEqual(["ab", "cd"]);
    expect(await viaFile(Buffer.from("x".repeat(1000) + "\ny"), 16, 8)).toEqual(["x".repeat(1000), "y"]);
  });

  it("passes a visitor's error on and closes the file", async () => {
    const file = join(dir, "throws");
    writeFileSync(file, "a\nb\n");
    await expect(
      forEachLine(file, () => {
        throw new Error("stop here");
      }),
    ).rejects.toThrow("stop here");
  });
});
