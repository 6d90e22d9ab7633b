import type { PrismaClient } from "@prisma/client";
import { recordMessageEvent, type MessageEventDb } from "../delivery-events/message-events.server";
import { classifyClick, classifyOpen } from "./machine-activity";
import { verifyClickToken, verifyOpenToken } from "./tracking-token.server";

// The open pixel and the tracked redirect of sent messages. Both are public: the signed token is
// the only credential, and a bad one learns nothing (the pixel is served whatever the token; a
// bad link gets the same page whatever is wrong with it). Each request is recorded before it is
// answered, so an answered request is never lost; machines (privacy proxies, prefetchers, link
// scanners) are recorded too, flagged, and left out of rates and attribution by default.

export type EngagementDb = Pick<PrismaClient, "outboxMessage" | "trackedLink"> & MessageEventDb;

export interface EngagementDeps {
  prisma: EngagementDb;
  secret: Uint8Array;
  now?: () => Date;
}

// a transparent 1×1 GIF
const PIXEL = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

const NO_STORE = { "Cache-Control": "no-store, max-age=0", "Referrer-Policy": "no-referrer" };

interface Requester {
  method: string;
  userAgent: string | null;
  ip: string | null;
}

export function requesterOf(request: Request): Requester {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return { method: request.method, userAgent: request.headers.get("user-agent"), ip: forwarded || null };
}

async function sentMessage(prisma: EngagementDb, id: string) {
  const message = await prisma.outboxMessage.findUnique({
    where: { id },
    select: { id: true, shop: true, campaignId: true, customerId: true, status: true, sentAt: true },
  });
  return message?.status === "sent" && message.sentAt ? { ...message, sentAt: message.sentAt } : null;
}

const secondsSince = (from: Date, to: Date) => Math.max(0, (to.getTime() - from.getTime()) / 1000);

export async function recordOpen(
  deps: EngagementDeps,
  token: string | undefined,
  requester: Requester,
): Promise<Response> {
  const outboxId = verifyOpenToken(token, deps.secret);
  const message = outboxId ? await sentMessage(deps.prisma, outboxId) : null;
  if (message) {
    const at = deps.now?.() ?? new Date();
    const { machine, reason } = classifyOpen({
      ...requester,
      secondsSinceDelivery: secondsSince(message.sentAt, at),
    });
    await recordMessageEvent(deps.prisma, message, { kind: "opened", at, machine, machineReason: reason });
  }
  return new Response(PIXEL, {
    headers: { "Content-Type": "image/gif", "Content-Length": String(PIXEL.length), ...NO_STORE },
  });
}

const GONE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>Link not found</title></head><body style="font-family:system-ui,sans-serif;max-width:520px;margin:4rem auto;padding:0 1rem"><h1>This link does not work</h1><p>It may have been copied only in part. Open the message again and use its link, or visit the shop directly.</p></body></html>`;

/** Where a tracked link goes (302), recording the click first; 404 for a link that is not ours. */
export async function followClick(
  deps: EngagementDeps,
  token: string | undefined,
  requester: Requester,
): Promise<Response> {
  const claims = verifyClickToken(token, deps.secret);
  const message = claims ? await sentMessage(deps.prisma, claims.outboxId) : null;
  const link =
    claims && message
      ? await deps.prisma.trackedLink.findUnique({
          where: { shop_id: { shop: message.shop, id: claims.linkId } },
          select: { url: true },
        })
      : null;
  if (!claims || !message || !link) {
    return new Response(GONE, {
      status: 404,
      headers: { "Content-Type": "text/html; charset=utf-8", ...NO_STORE },
    });
  }
  const at = deps.now?.() ?? new Date();
  const { machine, reason } = classifyClick({
    ...requester,
    secondsSinceDelivery: secondsSince(message.sentAt, at),
  });
  await recordMessageEvent(deps.prisma, message, {
    kind: "clicked",
    at,
    machine,
    machineReason: reason,
    linkId: claims.linkId,
  });
  return new Response(null, { status: 302, headers: { Location: link.url, ...NO_STORE } });
}
