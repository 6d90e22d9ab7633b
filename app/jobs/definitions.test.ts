import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  backoffDelay,
  canonicalJson,
  defineJob,
  jobIdFor,
  JobPayloadError,
  parsePayload,
} from "./definitions";

const job = defineJob({
  name: "test.sync",
  version: 1,
  payload: z.object({ shop: z.string(), ids: z.array(z.number()), meta: z.record(z.string()).optional() }),
});

describe("defineJob", () => {
  it("fills defaults and refuses bad names and versions", () => {
    expect(job.maxAttempts).toBe(5);
    expect(job.backoff).toEqual({ baseMs: 1_000, maxMs: 300_000 });
    expect(() => defineJob({ name: "Bad:Name", version: 1, payload: z.object({}) })).toThrow(/must match/);
    expect(() => defineJob({ name: "ok", version: 0, payload: z.object({}) })).toThrow(/version/);
    expect(() =>
      defineJob({ name: "ok", version: 1, payload: z.object({}), backoff: { baseMs: 10, maxMs: 5 } }),
    ).toThrow(/backoff/);
  });
});

describe("jobIdFor", () => {
  it("is deterministic and ignores key order", () => {
    const a = jobIdFor(job, { shop: "a.myshopify.com", ids: [1, 2], meta: { x: "1", y: "2" } });
    const b = jobIdFor(job, { meta: { y: "2", x: "1" }, ids: [1, 2], shop: "a.myshopify.com" });
    expect(a).toBe(b);
    expect(a).toMatch(/^test\.sync\.v1\.[0-9a-f]{64}$/);
    expect(jobIdFor(job, { shop: "a.myshopify.com", ids: [2, 1] })).not.toBe(a);
  });

  it("differs by name and version, and follows idOf when given", () => {
    const v2 = defineJob({ ...job, version: 2 });
    const payload = { shop: "s", ids: [] };
    expect(jobIdFor(v2, payload)).not.toBe(jobIdFor(job, payload));
    const keyed = defineJob({
      name: "test.keyed",
      version: 1,
      payload: z.object({ id: z.string(), n: z.number() }),
      idOf: (p) => p.id,
    });
    expect(jobIdFor(keyed, { id: "w1", n: 1 })).toBe(jobIdFor(keyed, { id: "w1", n: 2 }));
    expect(jobIdFor(keyed, { id: "w1", n: 1 })).not.toBe(jobIdFor(keyed, { id: "w2", n: 1 }));
  });

  it("gives equal ids for any key order (property)", () => {
    const value = fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.string(), fc.boolean()));
    fc.assert(
      fc.property(value, (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(record));
        expect(JSON.parse(canonicalJson(record))).toEqual(record);
      }),
    );
  });

  it("refuses values that are not plain JSON", () => {
    expect(() => canonicalJson({ at: new Date() })).toThrow(/plain JSON/);
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/NaN/);
    expect(() => canonicalJson({ n: 1n })).toThrow(/plain JSON/);
  });
});

describe("parsePayload", () => {
  it("names the bad field", () => {
    expect(() => parsePayload(job, { shop: 1, ids: [] })).toThrow(JobPayloadError);
    expect(() => parsePayload(job, { shop: 1, ids: [] })).toThrow(
      /test\.sync@v1: shop: Expected string, received number/,
    );
  });

  it("does not quote received values of enums in its message", () => {
    const e = defineJob({ name: "e", version: 1, payload: z.object({ kind: z.enum(["a", "b"]) }) });
    expect(() => parsePayload(e, { kind: "someone@example.com" })).toThrow(
      /^(?!.*example).*kind: Invalid enum value/,
    );
  });
});

describe("backoffDelay", () => {
  const backoffs = fc
    .tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 10_000_000 }))
    .map(([baseMs, extra]) => ({ baseMs, maxMs: baseMs + extra }));
  const random = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

  it("stays within [0, min(maxMs, baseMs·2^(attempt-1))]", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), backoffs, random, (attempt, backoff, r) => {
        const delay = backoffDelay(attempt, backoff, () => r);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(
          Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(attempt - 1, 52)),
        );
      }),
    );
  });

  it("grows with the attempt for a fixed random draw", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), backoffs, random, (attempt, backoff, r) => {
        expect(backoffDelay(attempt + 1, backoff, () => r)).toBeGreaterThanOrEqual(
          backoffDelay(attempt, backoff, () => r),
        );
      }),
    );
  });

  it("is exponential with full jitter", () => {
    const backoff = { baseMs: 100, maxMs: 1_000 };
    expect(backoffDelay(1, backoff, () => 0.5)).toBe(50);
    expect(backoffDelay(3, backoff, () => 0.5)).toBe(200);
    expect(backoffDelay(10, backoff, () => 0.999)).toBe(999);
    expect(backoffDelay(10, backoff, () => 0)).toBe(0);
  });
});
