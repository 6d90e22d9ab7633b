import { Session } from "@shopify/shopify-api";
import type { SecretBox } from "./messaging/channels/secret-box.server";

// Shopify Admin tokens at rest: the session storage's rows hold the access token (and a refresh
// token, when Shopify gives one) sealed like channel secrets, bound to the session's id so a sealed
// token copied to another shop's row does not open. Rows written before tokens were sealed still
// load, and are sealed again at once. A token that no longer opens (a key dropped from the ring, an
// altered row) counts as no session: the library then asks Shopify for a new token.

/** What shopifyApp() needs of a session storage (PrismaSessionStorage is one). */
export interface SessionStore {
  storeSession(session: Session): Promise<boolean>;
  loadSession(id: string): Promise<Session | undefined>;
  deleteSession(id: string): Promise<boolean>;
  deleteSessions(ids: string[]): Promise<boolean>;
  findSessionsByShop(shop: string): Promise<Session[]>;
}

const SEALED = /^v\d+:/;
type TokenField = "accessToken" | "refreshToken";
const contextOf = (sessionId: string, field: TokenField) => `shopify-session:${sessionId}:${field}`;

export interface SealedSessionOptions {
  /** never the token: which session, and why it was dropped */
  warn(message: string, fields: { shop: string; reason: string }): void;
}

type Opened = { session: Session; reseal: boolean } | { unreadable: string };

export function sealedSessionStorage(inner: SessionStore, box: SecretBox, options: SealedSessionOptions): SessionStore {
  const withTokens = (session: Session, tokens: Partial<Record<TokenField, string>>): Session =>
    new Session({ ...session.toObject(), ...tokens });

  const seal = (session: Session): Session => {
    const tokens: Partial<Record<TokenField, string>> = {};
    for (const field of ["accessToken", "refreshToken"] as const) {
      const value = session[field];
      // An empty token (the library's "invalidated") is no secret.
      if (value) tokens[field] = box.encrypt(value, contextOf(session.id, field));
    }
    return withTokens(session, tokens);
  };

  const open = (stored: Session): Opened => {
    const tokens: Partial<Record<TokenField, string>> = {};
    let reseal = false;
    for (const field of ["accessToken", "refreshToken"] as const) {
      const value = stored[field];
      if (!value) continue;
      if (!SEALED.test(value)) {
        // written before tokens were sealed
        reseal = true;
        continue;
      }
      try {
        tokens[field] = box.decrypt(value, contextOf(stored.id, field));
        if (box.needsRotation(value)) reseal = true;
      } catch (error) {
        return { unreadable: error instanceof Error ? error.message : String(error) };
      }
    }
    return { session: withTokens(stored, tokens), reseal };
  };

  const readable = async (stored: Session): Promise<Session | undefined> => {
    const opened = open(stored);
    if ("unreadable" in opened) {
      options.warn("stored Shopify session cannot be opened; a new token will be requested", {
        shop: stored.shop,
        reason: opened.unreadable,
      });
      return undefined;
    }
    if (opened.reseal) await inner.storeSession(seal(opened.session));
    return opened.session;
  };

  return {
    storeSession: (session) => inner.storeSession(seal(session)),
    async loadSession(id) {
      const stored = await inner.loadSession(id);
      return stored ? readable(stored) : undefined;
    },
    deleteSession: (id) => inner.deleteSession(id),
    deleteSessions: (ids) => inner.deleteSessions(ids),
    async findSessionsByShop(shop) {
      const sessions: Session[] = [];
      for (const stored of await inner.findSessionsByShop(shop)) {
        const session = await readable(stored);
        if (session) sessions.push(session);
      }
      return sessions;
    },
  };
}
