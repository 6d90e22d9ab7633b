import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lineBatches } from "./stream-jsonl.server";

async function* chunked(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let start = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    if (cut <= start || cut >= bytes.length) continue;
    yield bytes.subarray(start, cut);
    start = cut;
  }
  yield bytes.subarray(start);
}

async function collect(source: AsyncIterable<Uint8Array>, counter?: { bytes: number }): Promise<string[]> {
  const lines: string[] = [];
  for await (const batch of lineBatches(source, counter)) lines.push(...batch);
  return lines;
}

describe("lineBatches", () => {
  it("yields every line whatever the chunk boundaries, multi-byte characters cut in two included", async () => {
    const line = fc.string({ unit: "grapheme" }).filter((s) => !s.includes("\n"));
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 20 }),
        fc.array(fc.nat(400)),
        fc.boolean(),
        async (lines, cuts, finalNewline) => {
          const text = lines.join("\n") + (finalNewline ? "\n" : "");
          const bytes = new TextEncoder().encode(text);
          const counter = { bytes: 0 };
          const read = await collect(chunked(bytes, cuts), counter);
          // a last line without its newline counts, an empty one does not
          const expected = text.split("\n");
          if (expected.at(-1) === "") expected.pop();
          expect(read).toEqual(expected);
          expect(counter.bytes).toBe(bytes.length);
        },
      ),
    );
  });

  it("drops a byte order mark before the first line only", async () => {
    const bytes = new TextEncoder().encode('\uFEFF{"a":1}\n\uFEFF{"b":2}');
    expect(await collect(chunked(bytes, [2]))).toEqual(['{"a":1}', '\uFEFF{"b":2}']);
  });

  it("keeps a partial line that the source's next chunk overwrites", async () => {
    const shared = new Uint8Array(8);
    async function* reusing(): AsyncGenerator<Uint8Array> {
      shared.set(new TextEncoder().encode("abc\ndef_"));
      yield shared;
      shared.set(new TextEncoder().encode("ghi\njk__"));
      yield shared.subarray(0, 6);
    }
    expect(await collect(reusing())).toEqual(["abc", "def_ghi", "jk"]);
  });
});
