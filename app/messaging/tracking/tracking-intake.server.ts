import type { IncomingMessage, ServerResponse } from "node:http";
import { prisma } from "../../db.server";
import { logger } from "../../logger.server";
import { getTrackingSecret } from "../../secrets.server";
import { clickAnswer, openAnswer, type EngagementAnswer, type Requester } from "./engagement.server";

// The open pixels and tracked links, mounted by server.ts in front of Remix: a sent campaign's
// opens and clicks come by the thousand per second, and each needs one statement, not a Fetch
// request, a route match and a loader. The Remix routes (t.o.$token, t.c.$token) answer the same
// under the Vite dev server, from the same functions.

const header = (req: IncomingMessage, name: string): string | null => {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
};

function requesterOf(req: IncomingMessage): Requester {
  const forwarded = header(req, "x-forwarded-for")?.split(",")[0]?.trim();
  return { method: req.method ?? "GET", userAgent: header(req, "user-agent"), ip: forwarded || null };
}

/** `/t/o/<token>` or `/t/c/<token>` (one segment, as the routes match), else null. */
function parse(url: string | undefined): { kind: "o" | "c"; token: string } | null {
  const path = (url ?? "").split("?")[0] ?? "";
  const match = /^\/t\/([oc])\/([^/]+)$/.exec(path);
  if (!match?.[1] || !match[2]) return null;
  try {
    return { kind: match[1] === "o" ? "o" : "c", token: decodeURIComponent(match[2]) };
  } catch {
    return null;
  }
}

export function trackingIntake(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const target = req.method === "GET" || req.method === "HEAD" ? parse(req.url) : null;
  // Anything else is Remix's to answer (404, 405).
  if (!target) return next();
  const deps = { prisma, secret: getTrackingSecret() };
  const requester = requesterOf(req);
  const answer =
    target.kind === "o"
      ? openAnswer(deps, target.token, requester)
      : clickAnswer(deps, target.token, requester);
  void answer.then(
    ({ status, headers, body }: EngagementAnswer) => {
      res.writeHead(status, headers);
      res.end(body ?? undefined);
    },
    (error: unknown) => {
      // Not recorded, so not answered as if it were: the client may ask again.
      logger.error("tracking request not recorded", {
        kind: target.kind === "o" ? "open" : "click",
        error: error instanceof Error ? error.message : String(error),
      });
      if (res.headersSent) return;
      res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" });
      res.end("Not recorded, try again later");
    },
  );
}
