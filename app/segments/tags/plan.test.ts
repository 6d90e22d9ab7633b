import { describe, expect, it } from "vitest";
import { staleTags, tagLineOutcome, variablesLine } from "./plan";

const ID = 42n;
const GID = "gid://shopify/Customer/42";

describe("staleTags", () => {
  it("drops the tag last written and any other app tag, keeps the target and the merchant's tags out", () => {
    expect(
      staleTags(
        { taggedSegment: "lapsed", tags: ["wholesale", "rfm:vip", "rfm:recent", "rfm:custom"] },
        "recent",
      ),
    ).toEqual(["rfm:lapsed", "rfm:vip"]);
    expect(staleTags({ taggedSegment: null, tags: ["rfm:vip"] }, null)).toEqual(["rfm:vip"]);
    expect(staleTags({ taggedSegment: "vip", tags: ["rfm:vip"] }, "vip")).toEqual([]);
  });
});

describe("variablesLine", () => {
  it("is one JSON object per customer: its gid and the tags", () => {
    expect(variablesLine({ id: ID, tags: ["rfm:vip"] })).toBe(`{"id":"${GID}","tags":["rfm:vip"]}`);
  });
});

describe("tagLineOutcome", () => {
  const payload = (node: unknown, userErrors: unknown[] = []) => ({ tagsAdd: { node, userErrors } });
  it("accepts a line whose payload names the customer and has no userErrors", () => {
    expect(tagLineOutcome(payload({ id: GID }), null, "tagsAdd", ID)).toEqual({ ok: true });
  });
  it("refuses userErrors, execution errors, a missing payload and another resource", () => {
    expect(
      tagLineOutcome(payload(null, [{ field: ["id"], message: "Resource not found" }]), null, "tagsAdd", ID),
    ).toEqual({ ok: false, reason: "Resource not found" });
    expect(
      tagLineOutcome(null, [{ message: "Variable $tags was provided invalid value" }], "tagsAdd", ID),
    ).toMatchObject({ ok: false });
    expect(tagLineOutcome({}, undefined, "tagsRemove", ID)).toEqual({
      ok: false,
      reason: "no tagsRemove result",
    });
    expect(tagLineOutcome(payload({ id: "gid://shopify/Customer/7" }), null, "tagsAdd", ID)).toMatchObject({
      ok: false,
    });
    expect(tagLineOutcome(payload(null), null, "tagsAdd", ID)).toMatchObject({ ok: false });
  });
});
