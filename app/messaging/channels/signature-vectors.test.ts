import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { signWebhookBody, verifyWebhookSignature } from "./webhook-signature";

// The published test vectors of X-Holiday-Signature, read from the README (where a receiver reads
// them). Their signatures were worked out once with `openssl dgst -sha256 -hmac`, not by this code.

interface Vector {
  secret: string;
  timestamp: string;
  body: string;
  signature: string;
}

function readmeVectors(): Vector[] {
  const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
  const section = readme.slice(readme.indexOf("### Signed requests: `X-Holiday-Signature`"));
  const blocks = [...section.matchAll(/```text\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
  return blocks.map((block) => {
    const field = (name: string): string => {
      const match = new RegExp(`^${name}:[ ]+(.+)$`, "m").exec(block);
      if (!match?.[1]) throw new Error(`README vector without "${name}:"`);
      return match[1];
    };
    return {
      secret: field("secret"),
      timestamp: field("X-Holiday-Timestamp"),
      body: field("body"),
      signature: field("X-Holiday-Signature"),
    };
  });
}

const vectors = readmeVectors();

describe("X-Holiday-Signature against the README's test vectors", () => {
  it("the README publishes two vectors: the webhook channel's and the ESP events'", () => {
    expect(vectors.map((v) => JSON.parse(v.body) as { type: string }).map((b) => b.type)).toEqual([
      "message",
      "bounce",
    ]);
  });

  it.each(vectors.map((v) => [JSON.parse(v.body).type as string, v] as const))(
    "signs the %s vector as published",
    (_type, v) => {
      expect(signWebhookBody(v.secret, Number(v.timestamp), v.body)).toBe(v.signature);
      expect(signWebhookBody(v.secret, Number(v.timestamp), Buffer.from(v.body, "utf8"))).toBe(v.signature);
    },
  );

  it.each(vectors.map((v) => [JSON.parse(v.body).type as string, v] as const))(
    "accepts the %s vector within 5 minutes, refuses it later or with a byte changed",
    (_type, v) => {
      const sentMs = Number(v.timestamp) * 1000;
      const verify = (over: Partial<Parameters<typeof verifyWebhookSignature>[0]>) =>
        verifyWebhookSignature({
          secret: v.secret,
          timestamp: v.timestamp,
          signature: v.signature,
          body: v.body,
          nowMs: sentMs + 299_000,
          ...over,
        });
      expect(verify({})).toEqual({ ok: true, timestamp: Number(v.timestamp) });
      expect(verify({ signature: v.signature.toUpperCase() }).ok).toBe(true);
      expect(verify({ nowMs: sentMs + 301_000 })).toEqual({
        ok: false,
        reason: "timestamp outside tolerance",
      });
      expect(verify({ body: `${v.body}\n` })).toEqual({ ok: false, reason: "signature mismatch" });
    },
  );
});
