import { describe, expect, it } from "vitest";
import { PreviewCache } from "./preview-cache";

const rendered = (body: string) => ({ ok: true as const, message: { channel: "sms" as const, body, sms: { encoding: "GSM-7" as const, characters: body.length, segments: 1 } } });

describe("PreviewCache", () => {
  it("keys by template and variables together", () => {
    expect(PreviewCache.keyOf({ body: "Hi" }, { a: 1 })).toBe(PreviewCache.keyOf({ body: "Hi" }, { a: 1 }));
    expect(PreviewCache.keyOf({ body: "Hi" }, { a: 1 })).not.toBe(PreviewCache.keyOf({ body: "Hi" }, { a: 2 }));
    expect(PreviewCache.keyOf({ body: "Hi" }, { a: 1 })).not.toBe(PreviewCache.keyOf({ body: "Hi!" }, { a: 1 }));
  });

  it("drops the least recently used entry beyond its capacity", () => {
    const cache = new PreviewCache(2);
    cache.set("a", rendered("A"));
    cache.set("b", rendered("B"));
    expect(cache.get("a")).toEqual(rendered("A")); // a is now the most recent
    cache.set("c", rendered("C"));
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual([rendered("A"), undefined, rendered("C")]);
    expect(cache.size).toBe(2);
  });
});
