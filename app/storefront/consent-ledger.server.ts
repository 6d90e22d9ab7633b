import { createHash, randomUUID } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import type { ConsentChannel } from "./signup/decide-consent";

// The consent ledger: evidence of each consent change the storefront made — what the shopper was
// shown (a disclosure version), where, from which address and browser, when. Rows are only added.

type LedgerDb = Pick<PrismaClient, "consentDisclosure" | "consentRecord">;

const MAX_USER_AGENT = 512;

export interface ConsentEvidence {
  shop: string;
  customerId: bigint;
  channel: ConsentChannel;
  state: string;
  optInLevel: string;
  /** the exact text shown; null for a confirmation, which points at the signup it completes */
  disclosure: { text: string; locale: string } | null;
  disclosureId?: string | null;
  source: "signup-form" | "confirmation-link" | (string & {});
  pageUrl: string | null;
  ip: string | null;
  userAgent: string | null;
  /** the PENDING record this confirms (at most one confirmation each) */
  confirms?: string;
  at: Date;
}

/** The version of a disclosure text: the same text on the same shop and channel is one version. */
export function disclosureVersion(shop: string, channel: ConsentChannel, text: string): string {
  return createHash("sha256").update(`${shop}\u0000${channel}\u0000${text}`).digest("hex").slice(0, 32);
}

/** Appends one change; returns the record's id. */
export async function recordConsent(db: LedgerDb, evidence: ConsentEvidence): Promise<string> {
  let disclosureId = evidence.disclosureId ?? null;
  if (evidence.disclosure) {
    disclosureId = disclosureVersion(evidence.shop, evidence.channel, evidence.disclosure.text);
    await db.consentDisclosure.createMany({
      data: [
        {
          id: disclosureId,
          shop: evidence.shop,
          channel: evidence.channel,
          text: evidence.disclosure.text,
          locale: evidence.disclosure.locale,
          firstShownAt: evidence.at,
        },
      ],
      skipDuplicates: true,
    });
  }
  const id = randomUUID();
  await db.consentRecord.create({
    data: {
      id,
      shop: evidence.shop,
      customerId: evidence.customerId,
      channel: evidence.channel,
      state: evidence.state,
      optInLevel: evidence.optInLevel,
      disclosureId,
      source: evidence.source,
      pageUrl: evidence.pageUrl,
      ip: evidence.ip,
      userAgent: evidence.userAgent?.slice(0, MAX_USER_AGENT) ?? null,
      confirms: evidence.confirms ?? null,
      recordedAt: evidence.at,
    },
  });
  return id;
}

export interface ConsentHistoryRow {
  id: string;
  channel: string;
  state: string;
  optInLevel: string;
  source: string;
  pageUrl: string | null;
  ip: string | null;
  userAgent: string | null;
  confirms: string | null;
  recordedAt: Date;
  disclosureId: string | null;
  disclosure: string | null;
  disclosureLocale: string | null;
}

/** A customer's consent changes, oldest first, each with the text the shopper was shown. */
export async function consentHistory(db: LedgerDb, shop: string, customerId: bigint): Promise<ConsentHistoryRow[]> {
  const rows = await db.consentRecord.findMany({ where: { shop, customerId }, orderBy: [{ recordedAt: "asc" }, { id: "asc" }] });
  const ids = [...new Set(rows.flatMap((r) => (r.disclosureId ? [r.disclosureId] : [])))];
  const texts = new Map(
    (await db.consentDisclosure.findMany({ where: { shop, id: { in: ids } } })).map((d) => [d.id, d]),
  );
  return rows.map((r) => ({
    id: r.id,
    channel: r.channel,
    state: r.state,
    optInLevel: r.optInLevel,
    source: r.source,
    pageUrl: r.pageUrl,
    ip: r.ip,
    userAgent: r.userAgent,
    confirms: r.confirms,
    recordedAt: r.recordedAt,
    disclosureId: r.disclosureId,
    disclosure: r.disclosureId ? (texts.get(r.disclosureId)?.text ?? null) : null,
    disclosureLocale: r.disclosureId ? (texts.get(r.disclosureId)?.locale ?? null) : null,
  }));
}
