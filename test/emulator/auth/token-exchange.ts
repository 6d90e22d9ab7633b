import { randomBytes } from "node:crypto";
import { z } from "zod";
import { verifyJwt } from "./jwt";

const GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
const ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";
const OFFLINE = "urn:shopify:params:oauth:token-type:offline-access-token";
const ONLINE = "urn:shopify:params:oauth:token-type:online-access-token";

const body = z.object({
  client_id: z.string(),
  client_secret: z.string(),
  grant_type: z.string(),
  subject_token: z.string(),
  subject_token_type: z.string(),
  requested_token_type: z.string().optional(),
  expiring: z.string().optional(),
});

export interface ExchangeDeps {
  apiKey: string;
  apiSecret: string;
  scopes: string;
  nowMs: number;
  knownShop(shop: string): boolean;
  /** remembers and returns the shop's offline token (one per shop, stable across exchanges) */
  offlineToken(shop: string): string;
}

export interface ExchangeResult {
  status: number;
  json: unknown;
}

const fail = (status: number, error: string, description: string): ExchangeResult => ({ status, json: { error, error_description: description } });

/** POST /admin/oauth/access_token as Shopify answers it for token exchange. */
export function tokenExchange(shop: string, input: unknown, deps: ExchangeDeps): ExchangeResult {
  const parsed = body.safeParse(input);
  if (!parsed.success) return fail(400, "invalid_request", "The request is missing a required parameter.");
  const b = parsed.data;
  if (b.client_id !== deps.apiKey || b.client_secret !== deps.apiSecret) return fail(401, "invalid_client", "Client authentication failed.");
  if (b.grant_type !== GRANT) return fail(400, "unsupported_grant_type", `The grant type ${b.grant_type} is not supported.`);
  if (b.subject_token_type !== ID_TOKEN) return fail(400, "invalid_request", "subject_token_type must be an id_token.");
  const verified = verifyJwt(b.subject_token, deps.apiSecret, deps.nowMs);
  if ("error" in verified) return fail(400, "invalid_subject_token", `Token exchange failed: ${verified.error}.`);
  const { claims } = verified;
  let dest: string;
  try {
    dest = new URL(claims.dest).host;
  } catch {
    return fail(400, "invalid_subject_token", "Token exchange failed: invalid dest.");
  }
  if (claims.aud !== deps.apiKey) return fail(400, "invalid_subject_token", "Token exchange failed: audience mismatch.");
  if (dest !== shop || !deps.knownShop(shop)) return fail(400, "invalid_subject_token", "Token exchange failed: token is not for this shop.");
  const requested = b.requested_token_type ?? OFFLINE;
  if (requested === OFFLINE) {
    return { status: 200, json: { access_token: deps.offlineToken(shop), scope: deps.scopes } };
  }
  if (requested === ONLINE) {
    const userId = Number(claims.sub ?? "0");
    return {
      status: 200,
      json: {
        access_token: `shpua_${randomBytes(16).toString("hex")}`,
        scope: deps.scopes,
        expires_in: 86399,
        associated_user_scope: deps.scopes,
        session: claims.sid,
        account_number: 0,
        associated_user: {
          id: userId,
          first_name: "Demo",
          last_name: "Merchant",
          email: `merchant@${shop.replace(/\.myshopify\.com$/, "")}.example`,
          account_owner: true,
          locale: "en",
          collaborator: false,
          email_verified: true,
        },
      },
    };
  }
  return fail(400, "invalid_request", `Unsupported requested_token_type ${requested}.`);
}
