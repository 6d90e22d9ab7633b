import { readChannelSettings } from "../channel-config/channel-config.server";
import { sanitizeReason } from "../channels/classify";
import { TWILIO_SIGNATURE_HEADER, verifyTwilioSignature } from "../channels/twilio-signature";
import { isValidIdempotencyKey } from "../channels/types";
import { readBody } from "../../http/read-body.server";
import { findReportedMessage, recordReportedSuppression, type DeliveryEventDeps } from "./record.server";
import { suppressedNote } from "./suppression";
import { TwilioStatusReport, twilioStatusSuppression } from "./twilio-status";

// POST /channels/twilio/status (twilio-status.ts has the URL): Twilio's delivery report of one
// message. Signed with the shop's auth token, else 403 and nothing is read or written. A failed
// delivery whose code names the number (unreachable, unknown, landline, STOP) suppresses the
// customer's SMS; every other report is acknowledged with 200 and ignored, as are reports of
// messages this shop does not have. Repeats change nothing.

const MAX_BODY_BYTES = 64 * 1024;

const text = (status: number, body: string) =>
  new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });

/** The URL Twilio was given: the app's public origin with the path and query as received. */
function publicUrl(appUrl: string, url: URL): string | undefined {
  try {
    return `${new URL(appUrl).origin}${url.pathname}${url.search}`;
  } catch {
    return undefined;
  }
}

export async function handleTwilioStatus(deps: DeliveryEventDeps, request: Request): Promise<Response> {
  if (request.method !== "POST")
    return new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
  const url = new URL(request.url);
  const shop = url.searchParams.get("shop") ?? "";
  const messageId = url.searchParams.get("message") ?? "";
  const body = await readBody(request, MAX_BODY_BYTES);
  if (body === null) return text(413, "Request too large");

  const settings = shop ? await readChannelSettings(deps, shop, "sms") : undefined;
  const params = [...new URLSearchParams(body.toString("utf8"))];
  const urls = [publicUrl(deps.appUrl, url), request.url].filter((u): u is string => u !== undefined);
  const signed =
    settings?.kind === "twilio" &&
    verifyTwilioSignature({
      authToken: settings.authToken,
      urls,
      params,
      signature: request.headers.get(TWILIO_SIGNATURE_HEADER),
    });
  if (!signed) {
    deps.log("warn", "twilio status callback refused", {
      shop: shop.slice(0, 255),
      configured: settings !== undefined,
    });
    return text(403, "Forbidden");
  }

  const parsed = TwilioStatusReport.safeParse(Object.fromEntries(params));
  if (!parsed.success) return text(400, "Not a message status callback");
  const report = parsed.data;
  const reason = twilioStatusSuppression(report);
  if (!reason) return text(200, "OK");

  const message = isValidIdempotencyKey(messageId)
    ? await findReportedMessage(deps.prisma, shop, "sms", messageId)
    : null;
  // A stored sid that differs: the report is of another send than the one this row holds.
  if (!message || (message.providerId !== null && message.providerId !== report.MessageSid)) {
    deps.log("info", "twilio status callback for an unknown message", {
      shop,
      message: messageId.slice(0, 200),
      status: report.MessageStatus,
    });
    return text(200, "OK");
  }
  const detail = sanitizeReason(`Twilio ${report.MessageStatus} ${report.ErrorCode ?? ""}`);
  const { created } = await recordReportedSuppression(deps, {
    shop,
    message,
    channel: "sms",
    reason,
    note: suppressedNote(reason, detail),
  });
  deps.log("info", "sms suppressed by a delivery report", {
    shop,
    message: message.id,
    customer: message.customerId.toString(),
    status: report.MessageStatus,
    code: report.ErrorCode,
    reason,
    created,
  });
  return text(200, "OK");
}
