import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { z } from "zod";

const b64 = (v: string | Buffer): string => Buffer.from(v).toString("base64url");

export function signJwt(payload: Record<string, unknown>, secret: string): string {
  const head = b64(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = b64(JSON.stringify(payload));
  const sig = createHmac("sha256", secret).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${sig}`;
}

export const sessionClaims = z.object({
  iss: z.string(),
  dest: z.string(),
  aud: z.string(),
  sub: z.string().optional(),
  exp: z.number(),
  nbf: z.number(),
  iat: z.number(),
  jti: z.string().optional(),
  sid: z.string().optional(),
});
export type SessionClaims = z.infer<typeof sessionClaims>;

const LEEWAY_SECONDS = 10;

/** Verifies an HS256 session token the way Shopify's libraries do (10 s clock tolerance). */
export function verifyJwt(token: string, secret: string, nowMs: number): { claims: SessionClaims } | { error: string } {
  const parts = token.split(".");
  if (parts.length !== 3) return { error: "malformed token" };
  const [head = "", body = "", sig = ""] = parts;
  try {
    const header = z.object({ alg: z.literal("HS256") }).safeParse(JSON.parse(Buffer.from(head, "base64url").toString("utf8")));
    if (!header.success) return { error: "unsupported algorithm" };
    const expected = createHmac("sha256", secret).update(`${head}.${body}`).digest();
    const given = Buffer.from(sig, "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { error: "signature mismatch" };
    const claims = sessionClaims.safeParse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
    if (!claims.success) return { error: "missing claims" };
    const now = nowMs / 1000;
    if (claims.data.exp + LEEWAY_SECONDS < now) return { error: "token expired" };
    if (claims.data.nbf - LEEWAY_SECONDS > now) return { error: "token not yet valid" };
    return { claims: claims.data };
  } catch {
    return { error: "malformed token" };
  }
}

export function issueSessionToken(args: { shop: string; apiKey: string; apiSecret: string; nowMs: number; expiresInSeconds?: number; sub?: string }): string {
  const iat = Math.floor(args.nowMs / 1000);
  return signJwt(
    {
      iss: `https://${args.shop}/admin`,
      dest: `https://${args.shop}`,
      aud: args.apiKey,
      sub: args.sub ?? "70000000001",
      exp: iat + (args.expiresInSeconds ?? 60),
      nbf: iat,
      iat,
      jti: randomUUID(),
      sid: b64(`${args.shop}:${args.sub ?? "70000000001"}`).slice(0, 32),
    },
    args.apiSecret,
  );
}
