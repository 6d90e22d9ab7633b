import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createClickToken,
  createOpenToken,
  linkIdFor,
  verifyClickToken,
  verifyOpenToken,
} from "./tracking-token.server";

const secret = Buffer.from("0123456789abcdef0123456789abcdef", "utf8");
const outboxId = `m_${"a".repeat(40)}`;

describe("tracking tokens", () => {
  // expected values computed with Python's hmac and hashlib, not with this module
  it("matches an independently computed vector", () => {
    expect(linkIdFor("https://shop.example/products/mug")).toBe("XO7ma3nOy4lY");
    expect(createClickToken({ outboxId, linkId: "XO7ma3nOy4lY" }, secret)).toBe(
      "qqqqqqqqqqqqqqqqqqqqqqqqqqo.XO7ma3nOy4lY.jUmfOFBp4sxYd-76",
    );
    expect(createOpenToken(outboxId, secret)).toBe("qqqqqqqqqqqqqqqqqqqqqqqqqqo.-F-z0FLpazMswUWP");
  });

  it("reads back what it signed, and an open token never passes as a click or the reverse", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{40}$/), fc.webUrl(), (hex, url) => {
        const id = `m_${hex}`;
        const linkId = linkIdFor(url);
        const click = createClickToken({ outboxId: id, linkId }, secret);
        const open = createOpenToken(id, secret);
        expect(verifyClickToken(click, secret)).toEqual({ outboxId: id, linkId });
        expect(verifyOpenToken(open, secret)).toBe(id);
        expect(verifyOpenToken(`${open}.gif`, secret)).toBe(id);
        expect(verifyClickToken(open, secret)).toBeNull();
        expect(verifyOpenToken(click, secret)).toBeNull();
      }),
    );
  });

  it("refuses any changed character, another secret and junk", () => {
    const click = createClickToken({ outboxId, linkId: linkIdFor("https://shop.example/") }, secret);
    for (let i = 0; i < click.length; i += 1) {
      if (click[i] === ".") continue;
      const changed = `${click.slice(0, i)}${click[i] === "A" ? "B" : "A"}${click.slice(i + 1)}`;
      expect(verifyClickToken(changed, secret)).toBeNull();
    }
    expect(verifyClickToken(click, Buffer.from("another secret of enough bytes"))).toBeNull();
    for (const junk of [undefined, 42, "", "a.b.c", `${click}.x`, "x".repeat(500)]) {
      expect(verifyClickToken(junk, secret)).toBeNull();
      expect(verifyOpenToken(junk, secret)).toBeNull();
    }
  });

  it("is short enough for a text", () => {
    expect(createClickToken({ outboxId, linkId: linkIdFor("https://x.example/") }, secret)).toHaveLength(57);
  });

  it("signs only outbox message ids, and refuses a short secret", () => {
    expect(() => createOpenToken("c_123", secret)).toThrow(/outbox message ids/);
    expect(() => createOpenToken(outboxId, Buffer.from("short"))).toThrow(/at least 16 bytes/);
  });
});
