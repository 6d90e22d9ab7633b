import { readChannelSettings } from "../channel-config/channel-config.server";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature } from "../channels/webhook-signature";
import { EmailEvent, emailEventKind, emailEventNote, emailEventSuppression, outboxIdOf } from "./email-events";
import { recordMessageEvent } from "./message-events.server";
import { readBody } from "../../http/read-body.server";
import { findReportedMessage, recordReportedSuppression, type DeliveryEventDeps } from "./record.server";
import { pauseOnComplaintRate } from "./pause-on-complaints.server";
import { suppressedNote } from "./suppression";

// POST /channels/email/events?shop=… (email-events.ts has the format): a bounce or complaint an
// ESP reports after accepting a message. 401 without the shop's events secret, with a bad
// signature or a timestamp more than five minutes off; 400 for a body that is not an event. A
// permanent bounce suppresses the customer's email as "bounced"; a complaint as "complained",
// and unsubscribes them here and in Shopify. Soft bounces, unknown messages and repeats change
// nothing and are acknowledged, so the sender does not retry them.

const MAX_BODY_BYTES = 64 * 1024;

const json = (status: number, body: Record<string, string | boolean>) => Response.json(body, { status });

export async function handleEmailEvent(deps: DeliveryEventDeps, request: Request): Promise<Response> {
  if (request.method !== "POST")
    return new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
  const shop = new URL(request.url).searchParams.get("shop") ?? "";
  const body = await readBody(request, MAX_BODY_BYTES);
  if (body === null) return json(413, { error: "request too large" });

  const settings = shop ? await readChannelSettings(deps, shop, "email") : undefined;
  const secret = settings?.kind === "smtp" ? settings.eventsSecret : undefined;
  const verified: { ok: true } | { ok: false; reason: string } = secret
    ? verifyWebhookSignature({
        secret,
        timestamp: request.headers.get(TIMESTAMP_HEADER),
        signature: request.headers.get(SIGNATURE_HEADER),
        body,
        nowMs: (deps.now?.() ?? new Date()).getTime(),
      })
    : { ok: false, reason: "no events secret" };
  if (!verified.ok) {
    deps.log("warn", "email event refused", { shop: shop.slice(0, 255), reason: verified.reason });
    return json(401, { error: "unauthorized" });
  }

  let raw: unknown;
  try {
    raw = JSON.parse(body.toString("utf8"));
  } catch {
    return json(400, { error: "the body is not JSON" });
  }
  const parsed = EmailEvent.safeParse(raw);
  if (!parsed.success)
    return json(400, {
      error: `not an email event: ${parsed.error.issues.map((i) => i.path.join(".") || "(body)").join(", ")}`,
    });
  const event = parsed.data;
  const kind = emailEventKind(event);
  const reason = emailEventSuppression(event);
  if (!kind) return json(200, { ok: true, result: "ignored" });

  const id = outboxIdOf(event.messageId);
  const message = id ? await findReportedMessage(deps.prisma, shop, "email", id) : null;
  if (!message) {
    deps.log("info", "email event for an unknown message", { shop, type: event.type });
    return json(200, { ok: true, result: "unknown message" });
  }
  await recordMessageEvent(deps.prisma, message, { kind, at: deps.now?.() ?? new Date() });
  if (!reason) return json(200, { ok: true, result: "recorded" });
  const { created } = await recordReportedSuppression(deps, {
    shop,
    message,
    channel: "email",
    reason,
    note: suppressedNote(reason, emailEventNote(event)),
  });
  // A new complaint may push its campaign over the complaint rate mailbox providers tolerate.
  const paused =
    created && reason === "complained"
      ? (
          await pauseOnComplaintRate(
            { prisma: deps.prisma, source: deps.source, log: (line) => deps.log("warn", line, {}) },
            shop,
            message.id,
          )
        ).paused
      : false;
  deps.log("info", "email suppressed by a provider report", {
    shop,
    message: message.id,
    customer: message.customerId.toString(),
    type: event.type,
    reason,
    created,
    paused,
  });
  return json(200, { ok: true, result: created ? "recorded" : "already recorded", reason, paused });
}
