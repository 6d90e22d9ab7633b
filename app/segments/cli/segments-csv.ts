import type { RfmColumnScores } from "../rfm";
import { segmentFor, type Segment, type SegmentThresholds } from "../rules";
import { CSV_HEADER } from "./csv";
import { ascii, AsciiChunk, writeShare } from "./csv-bytes";
import { slotsByPrintedId, type CustomerTable } from "./table";

// The rows of the segments CSV, in chunks of bytes, in the order of the printed customer ids. Each
// row is what formatRow (csv.ts) writes for it. Pure.

const CHUNK = 1 << 20;
// a row is at most ~130 bytes: the id, seven numbers, the share and a segment name
const ROOM = 512;
const PREFIX = ascii("gid://shopify/Customer/");
const NAMES: Record<Segment, Uint8Array> = {
  prospect: ascii("prospect"),
  lapsed: ascii("lapsed"),
  vip: ascii("vip"),
  price_sensitive: ascii("price_sensitive"),
  recent: ascii("recent"),
  regular: ascii("regular"),
};

export function* csvChunks(
  table: CustomerTable,
  recency: Float64Array,
  scores: RfmColumnScores,
  thresholds: SegmentThresholds,
  exponent: number,
  chunkBytes = CHUNK,
): Generator<Uint8Array> {
  let out = new AsciiChunk(chunkBytes);
  out.raw(ascii(`${CSV_HEADER}\n`));
  for (const i of slotsByPrintedId(table)) {
    if (out.free < ROOM) {
      yield out.bytes.subarray(0, out.length);
      out = new AsciiChunk(chunkBytes);
    }
    const frequency = table.frequency[i]!;
    const discountedOrders = table.discounted[i]!;
    const scored = frequency > 0;
    out.raw(PREFIX);
    out.int(table.ids[i]!);
    out.byte(0x2c);
    if (scored) out.int(recency[i]!);
    out.byte(0x2c);
    out.int(frequency);
    out.byte(0x2c);
    out.decimal(table.monetary[i]!, exponent);
    out.byte(0x2c);
    if (scored) out.int(scores.r[i]!);
    out.byte(0x2c);
    if (scored) out.int(scores.f[i]!);
    out.byte(0x2c);
    if (scored) out.int(scores.m[i]!);
    out.byte(0x2c);
    if (scored) writeShare(out, discountedOrders, frequency);
    out.byte(0x2c);
    const segment = segmentFor(
      {
        frequency,
        recencyDays: scored ? recency[i]! : null,
        f: scored ? scores.f[i]! : null,
        m: scored ? scores.m[i]! : null,
        discountedOrders,
      },
      thresholds,
    );
    out.raw(NAMES[segment]);
    out.byte(0x0a);
  }
  if (out.length > 0) yield out.bytes.subarray(0, out.length);
}
