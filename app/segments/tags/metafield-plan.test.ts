import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inGroups, metafieldsSetOutcome, metafieldsVariables } from "./metafield-plan";

describe("metafieldsVariables", () => {
  it("is one MetafieldsSetInput per customer: $app.rfm_segment, single line text, the segment", () => {
    expect(
      metafieldsVariables([
        { id: 42n, segment: "vip" },
        { id: 7n, segment: "lapsed" },
      ]),
    ).toEqual({
      metafields: [
        {
          ownerId: "gid://shopify/Customer/42",
          namespace: "$app",
          key: "rfm_segment",
          type: "single_line_text_field",
          value: "vip",
        },
        {
          ownerId: "gid://shopify/Customer/7",
          namespace: "$app",
          key: "rfm_segment",
          type: "single_line_text_field",
          value: "lapsed",
        },
      ],
    });
  });
});

describe("inGroups", () => {
  it("cuts 51 into 25, 25, 1 and keeps the order", () => {
    const items = Array.from({ length: 51 }, (_, i) => i);
    expect(inGroups(items, 25).map((g) => g.length)).toEqual([25, 25, 1]);
    expect(inGroups([], 25)).toEqual([]);
  });

  it("never loses, repeats or reorders an item, and no group is over the size", () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.integer({ min: 1, max: 30 }), (items, size) => {
        const groups = inGroups(items, size);
        expect(groups.flat()).toEqual(items);
        expect(groups.every((g) => g.length >= 1 && g.length <= size)).toBe(true);
      }),
    );
  });
});

describe("metafieldsSetOutcome", () => {
  const answer = (metafields: unknown, userErrors: unknown[] = []) => ({
    metafieldsSet: { metafields, userErrors },
  });
  it("accepts an answer with one metafield per input and no errors", () => {
    expect(
      metafieldsSetOutcome(
        answer([{ id: "gid://shopify/Metafield/1" }, { id: "gid://shopify/Metafield/2" }]),
        null,
        2,
      ),
    ).toEqual({
      ok: true,
    });
  });

  it("refuses userErrors, execution errors, a short answer and no answer", () => {
    expect(
      metafieldsSetOutcome(
        answer(null, [{ field: ["metafields", "0", "ownerId"], message: "Owner does not exist" }]),
        null,
        1,
      ),
    ).toEqual({ ok: false, reason: "Owner does not exist" });
    expect(metafieldsSetOutcome(null, [{ message: "Internal error" }], 1)).toEqual({
      ok: false,
      reason: "Internal error",
    });
    expect(metafieldsSetOutcome(answer([{ id: "gid://shopify/Metafield/1" }]), null, 2)).toEqual({
      ok: false,
      reason: "1 of 2 metafields set",
    });
    expect(metafieldsSetOutcome({}, undefined, 1)).toEqual({ ok: false, reason: "no metafieldsSet result" });
    expect(metafieldsSetOutcome(answer([]), "nonsense", 1)).toEqual({
      ok: false,
      reason: "unreadable errors",
    });
  });
});
