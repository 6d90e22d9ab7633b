import { isValidIdempotencyKey } from "../channels/types";
import { recordOptOuts } from "../unsubscribe/opt-out.server";
import { findReportedMessage, recordReportedSuppression, type DeliveryEventDeps } from "./record.server";
import { suppressedNote } from "./suppression";
import { readSignedTwilioRequest, textResponse as text } from "./twilio-request.server";
import { TwilioStatusReport, twilioStatusKind, twilioStatusNote, twilioStatusSuppression } from "./twilio-status";
import { recordMessageEvent } from "./message-events.server";

// POST /channels/twilio/status (twilio-status.ts has the URL): Twilio's delivery report of one
// message. Signed with the shop's auth token, else 403 and nothing is read or written. A failed
// delivery whose code names the number (unreachable, unknown, landline, STOP) suppresses the
// customer's SMS; a STOP (21610) also ends their SMS consent here and in Shopify, as a reply
// STOP does. Every other report is acknowledged with 200 and ignored, as are reports of messages
// this shop does not have. Repeats change nothing.

export async function handleTwilioStatus(deps: DeliveryEventDeps, request: Request): Promise<Response> {
  const signed = await readSignedTwilioRequest(deps, request, "twilio status callback refused");
  if (!signed.ok) return signed.response;
  const { shop, params } = signed;
  const messageId = signed.url.searchParams.get("message") ?? "";
  const parsed = TwilioStatusReport.safeParse(Object.fromEntries(params));
  if (!parsed.success) return text(400, "Not a message status callback");
  const report = parsed.data;
  const kind = twilioStatusKind(report);
  const reason = twilioStatusSuppression(report);
  if (!kind) return text(200, "OK");

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
  await recordMessageEvent(deps.prisma, message, { kind, at: deps.now?.() ?? new Date() });
  if (!reason) return text(200, "OK");
  const { created } = await recordReportedSuppression(deps, {
    shop,
    message,
    channel: "sms",
    reason,
    note: suppressedNote(reason, twilioStatusNote(report)),
  });
  const optedOut =
    reason === "unsubscribed" ? await recordOptOuts(deps, shop, "sms", [message.customerId]) : undefined;
  deps.log("info", "sms suppressed by a delivery report", {
    shop,
    message: message.id,
    customer: message.customerId.toString(),
    status: report.MessageStatus,
    code: report.ErrorCode,
    reason,
    created,
    consentWriteBack: optedOut ? optedOut.queued > 0 : undefined,
  });
  return text(200, "OK");
}
