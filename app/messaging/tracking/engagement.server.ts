import type { PrismaClient } from "@prisma/client";
import { messageEventIdFor, type MessageEventKind } from "../delivery-events/message-events.server";
import { classifyClick, classifyOpen, TOO_SOON_SECONDS, type Activity } from "./machine-activity";
import { verifyClickToken, verifyOpenToken } from "./tracking-token.server";

// The open pixel and the tracked redirect of sent messages. Both are public: the signed token is
// the only credential, and a bad one learns nothing (the pixel is served whatever the token; a
// bad link gets the same page whatever is wrong with it). Each request is recorded before it is
// answered, so an answered request is never lost; machines (privacy proxies, prefetchers, link
// scanners) are recorded too, flagged, and left out of rates and attribution by default.

export type EngagementDb = Pick<PrismaClient, "$queryRawUnsafe">;

export interface EngagementDeps {
  prisma: EngagementDb;
  secret: Uint8Array;
  now?: () => Date;
}

// a transparent 1×1 GIF
const PIXEL = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

const NO_STORE = { "Cache-Control": "no-store, max-age=0", "Referrer-Policy": "no-referrer" };

export interface Requester {
  method: string;
  userAgent: string | null;
  ip: string | null;
}

export function requesterOf(request: Request): Requester {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return { method: request.method, userAgent: request.headers.get("user-agent"), ip: forwarded || null };
}

interface Engagement {
  outboxId: string;
  kind: Extract<MessageEventKind, "opened" | "clicked">;
  linkId: string | null;
  at: Date;
  classify: (secondsSinceDelivery: number | null) => Activity;
}

interface Recorded {
  /** false: the message was not sent, or the click's link is not its shop's */
  recorded: boolean;
  /** a click's stored destination */
  url: string | null;
}

interface Waiter {
  engagement: Engagement;
  resolve: (recorded: Recorded) => void;
  reject: (error: unknown) => void;
}

// One statement for a batch of requests: each message looked up, each click's stored
// destination read, and the events upserted as `recordMessageEvent` does (one row per message,
// kind, link and machine flag; repeats add to its count, within the batch too). Whether a request
// came too soon after delivery is known only with the message's `sentAt`, so both classifications
// come in and the statement picks one. Nothing is recorded for a message that was not sent, nor for
// a click on a link its shop does not have.
const RECORD_SQL = `
  WITH input AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(i int, "outboxId" text, kind text, "linkId" text,
      at timestamptz, "lateId" text, "lateMachine" boolean, "lateReason" text, "soonId" text,
      "soonMachine" boolean, "soonReason" text)
  ), found AS (
    -- Lookups by primary key, one per request (LIMIT keeps each a lookup: statistics of a table
    -- that just grew may be missing, and a hash join would read the whole outbox every batch).
    SELECT i.*, m."shop", m."campaignId", m."customerId", l."url",
      m."sentAt" >= (i.at AT TIME ZONE 'UTC') - make_interval(secs => ${TOO_SOON_SECONDS}) AS soon
    FROM input i
    CROSS JOIN LATERAL (
      SELECT "shop", "campaignId", "customerId", "sentAt" FROM "OutboxMessage"
      WHERE "id" = i."outboxId" AND "status" = 'sent' AND "sentAt" IS NOT NULL LIMIT 1
    ) m
    LEFT JOIN LATERAL (
      SELECT "url" FROM "TrackedLink" WHERE "shop" = m."shop" AND "id" = i."linkId" LIMIT 1
    ) l ON true
    WHERE i."linkId" IS NULL OR l."url" IS NOT NULL
  ), events AS (
    SELECT CASE WHEN soon THEN "soonId" ELSE "lateId" END AS id, "shop", "outboxId", "campaignId", "customerId",
      kind, CASE WHEN soon THEN "soonMachine" ELSE "lateMachine" END AS machine,
      CASE WHEN soon THEN "soonReason" ELSE "lateReason" END AS reason, "linkId", at AT TIME ZONE 'UTC' AS at
    FROM found
  ), stored AS (
    INSERT INTO "MessageEvent" ("id", "shop", "outboxId", "campaignId", "customerId", "kind", "machine",
      "machineReason", "linkId", "count", "firstAt", "lastAt")
    SELECT id, min("shop"), min("outboxId"), min("campaignId"), min("customerId"), min(kind), bool_or(machine),
      min(reason), min("linkId"), count(*)::int, min(at), max(at)
    FROM events GROUP BY id
    ON CONFLICT ("id") DO UPDATE SET
      "count" = "MessageEvent"."count" + EXCLUDED."count",
      "firstAt" = LEAST("MessageEvent"."firstAt", EXCLUDED."firstAt"),
      "lastAt" = GREATEST("MessageEvent"."lastAt", EXCLUDED."lastAt")
  )
  SELECT i, "url" FROM found`;

async function flush(db: EngagementDb, batch: readonly Waiter[]): Promise<void> {
  const input = batch.map(({ engagement: e }, i) => {
    const [late, soon] = [e.classify(null), e.classify(0)];
    return {
      i,
      outboxId: e.outboxId,
      kind: e.kind,
      linkId: e.linkId,
      at: e.at.toISOString(),
      lateId: messageEventIdFor(e.outboxId, e.kind, e.linkId, late.machine),
      lateMachine: late.machine,
      lateReason: late.reason,
      soonId: messageEventIdFor(e.outboxId, e.kind, e.linkId, soon.machine),
      soonMachine: soon.machine,
      soonReason: soon.reason,
    };
  });
  let rows: Array<{ i: number; url: string | null }>;
  try {
    rows = await db.$queryRawUnsafe(RECORD_SQL, JSON.stringify(input));
  } catch (error) {
    for (const waiter of batch) waiter.reject(error);
    return;
  }
  const found = new Map(rows.map((row) => [Number(row.i), row.url]));
  batch.forEach((waiter, i) => waiter.resolve({ recorded: found.has(i), url: found.get(i) ?? null }));
}

const MAX_BATCH = 500;

/**
 * Records opens and clicks in batches, before they are answered: while one batch is being
 * written, the requests arriving join the next, so at peak a thousand a second cost a few hundred
 * statements and commits rather than a thousand (on PGlite, in the app's own thread, most of the
 * cost). An idle recorder writes a lone request at once. One batch at a time was measured best on
 * both databases (docs/benchmarks.md): more in flight made the batches smaller and slower.
 */
function createRecorder(db: EngagementDb): (engagement: Engagement) => Promise<Recorded> {
  let pending: Waiter[] = [];
  let flushing = false;
  const schedule = () => {
    if (flushing || pending.length === 0) return;
    flushing = true;
    // Not a microtask: requests already read from their sockets join this batch.
    setImmediate(() => {
      const batch = pending.slice(0, MAX_BATCH);
      pending = pending.slice(batch.length);
      void flush(db, batch).finally(() => {
        flushing = false;
        schedule();
      });
    });
  };
  return (engagement) =>
    new Promise<Recorded>((resolve, reject) => {
      pending.push({ engagement, resolve, reject });
      schedule();
    });
}

const recorders = new WeakMap<EngagementDb, (engagement: Engagement) => Promise<Recorded>>();

function recordEngagement(db: EngagementDb, engagement: Engagement): Promise<Recorded> {
  let record = recorders.get(db);
  if (!record) {
    record = createRecorder(db);
    recorders.set(db, record);
  }
  return record(engagement);
}

/** An answer to a pixel or link request: a Fetch `Response` in the Remix routes, written as is by the intake. */
export interface EngagementAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string | null;
}

export async function openAnswer(
  deps: EngagementDeps,
  token: string | undefined,
  requester: Requester,
): Promise<EngagementAnswer> {
  const outboxId = verifyOpenToken(token, deps.secret);
  if (outboxId) {
    await recordEngagement(deps.prisma, {
      outboxId,
      kind: "opened",
      linkId: null,
      at: deps.now?.() ?? new Date(),
      classify: (secondsSinceDelivery) => classifyOpen({ ...requester, secondsSinceDelivery }),
    });
  }
  return {
    status: 200,
    headers: { "Content-Type": "image/gif", "Content-Length": String(PIXEL.length), ...NO_STORE },
    body: PIXEL,
  };
}

const GONE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>Link not found</title></head><body style="font-family:system-ui,sans-serif;max-width:520px;margin:4rem auto;padding:0 1rem"><h1>This link does not work</h1><p>It may have been copied only in part. Open the message again and use its link, or visit the shop directly.</p></body></html>`;

/** Where a tracked link goes (302), recording the click first; 404 for a link that is not ours. */
export async function clickAnswer(
  deps: EngagementDeps,
  token: string | undefined,
  requester: Requester,
): Promise<EngagementAnswer> {
  const claims = verifyClickToken(token, deps.secret);
  const click = claims
    ? await recordEngagement(deps.prisma, {
        ...claims,
        kind: "clicked",
        at: deps.now?.() ?? new Date(),
        classify: (secondsSinceDelivery) => classifyClick({ ...requester, secondsSinceDelivery }),
      })
    : null;
  if (!click?.url) {
    return { status: 404, headers: { "Content-Type": "text/html; charset=utf-8", ...NO_STORE }, body: GONE };
  }
  return { status: 302, headers: { Location: click.url, ...NO_STORE }, body: null };
}

const toResponse = ({ status, headers, body }: EngagementAnswer) => new Response(body, { status, headers });

/** The open pixel as a Fetch response (the Remix route). */
export async function recordOpen(
  deps: EngagementDeps,
  token: string | undefined,
  requester: Requester,
): Promise<Response> {
  return toResponse(await openAnswer(deps, token, requester));
}

/** A tracked link as a Fetch response (the Remix route). */
export async function followClick(
  deps: EngagementDeps,
  token: string | undefined,
  requester: Requester,
): Promise<Response> {
  return toResponse(await clickAnswer(deps, token, requester));
}
