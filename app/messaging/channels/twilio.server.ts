import { z } from "zod";
import { classifyHttpStatus, parseRetryAfter, twilioErrorSuppression } from "./classify";
import { httpStatusReason, twilioErrorReason } from "./failure-reason";
import { createHttpClient, describeNetworkProblem, networkResult, parseJson } from "./http.server";
import { Limiter } from "./limiter";
import { twilioBaseUrlProblem } from "./destination";
import type { TwilioSettings } from "./settings";
import { DEFAULT_MAX_IN_FLIGHT, DEFAULT_TIMEOUT_MS, precheck } from "./types";
import type { Channel, ChannelOptions, ConnectionCheck, SendResult } from "./types";

// SMS through Twilio's Messages resource:
//   POST {baseUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json
//   form fields To, Body and From or MessagingServiceSid; HTTP Basic auth AccountSid:AuthToken.
// `I-Twilio-Idempotency-Token` carries the message's key. Twilio documents that header on the
// webhooks it sends; it does not document de-duplication of Message creation, so against the
// real API a re-send after a crash can still reach the phone twice. The local sink honours it and
// counts re-sends, which is what the reliability tests assert.
// With `statusCallbackUrl`, each message names the app's delivery-report endpoint as its
// StatusCallback (app/messaging/delivery-events/twilio-status.ts).

const TwilioError = z.object({ code: z.number().int().optional() });
const TwilioMessage = z.object({ sid: z.string().min(1) });
const TwilioAccount = z.object({ status: z.string().optional() });

const E164 = /^\+[1-9]\d{6,14}$/;

function apiUrl(settings: TwilioSettings, path: string): string {
  return `${settings.baseUrl.replace(/\/+$/, "")}/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}${path}`;
}

/** Twilio's error code and a short class; the status alone without one. Never Twilio's message. */
function providerError(status: number, text: string): { code?: number; reason: string } {
  const code = parseJson(text, TwilioError)?.code;
  return code === undefined
    ? { reason: `Twilio ${httpStatusReason(status)}` }
    : { code, reason: twilioErrorReason(code, status) };
}

export function createTwilioChannel(settings: TwilioSettings, options: ChannelOptions): Channel {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  const limiter = new Limiter(maxInFlight);
  const http = createHttpClient(options.network, maxInFlight, options.resolve);
  // In production only Twilio's own API gets the credentials (destination.ts).
  const pinned = twilioBaseUrlProblem(settings.baseUrl, options.network);
  const authorization = `Basic ${Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString("base64")}`;
  const messagesUrl = apiUrl(settings, "/Messages.json");

  const send: Channel["send"] = async (input, sendOptions): Promise<SendResult> => {
    const checked = precheck(input, "sms");
    if (!checked.ok) return checked.result;
    const message = checked.message;
    if (!E164.test(message.to))
      return { status: "failed", reason: "the recipient is not an E.164 phone number" };
    if (message.content.body.trim() === "") return { status: "failed", reason: "empty SMS body" };

    const form = new URLSearchParams({ To: message.to, Body: message.content.body });
    if (settings.messagingServiceSid) form.set("MessagingServiceSid", settings.messagingServiceSid);
    else if (settings.fromNumber) form.set("From", settings.fromNumber);
    const statusCallback = options.statusCallbackUrl?.(message);
    if (statusCallback) form.set("StatusCallback", statusCallback);

    if (pinned) return { status: "failed", reason: `Twilio API base URL ${pinned}` };
    const turn = await limiter.runAtTurn(
      () =>
        http.call(
          messagesUrl,
          {
            method: "POST",
            headers: {
              Authorization: authorization,
              "Content-Type": "application/x-www-form-urlencoded",
              Accept: "application/json",
              "I-Twilio-Idempotency-Token": message.idempotencyKey,
            },
            body: form.toString(),
          },
          timeoutMs,
        ),
      sendOptions?.atTurn,
    );
    if (!turn.ran) return { status: "withdrawn", reason: turn.withdrawn };
    const outcome = turn.value;
    if (outcome.kind === "network") return networkResult(outcome);
    if (outcome.status >= 200 && outcome.status < 300) {
      // Accepted is accepted: sending again would duplicate, even if the answer is unreadable.
      return {
        status: "sent",
        providerId: parseJson(outcome.text, TwilioMessage)?.sid ?? "twilio:unreadable-answer",
      };
    }
    const { code, reason } = providerError(outcome.status, outcome.text);
    const result = classifyHttpStatus(
      outcome.status,
      reason,
      parseRetryAfter(outcome.headers.get("retry-after"), now()),
    );
    const suppress = twilioErrorSuppression(code);
    return result.status === "failed" && suppress ? { ...result, suppress } : result;
  };

  const testConnection = async (): Promise<ConnectionCheck> => {
    if (pinned)
      return { ok: false, problem: "config", field: "baseUrl", message: `The API base URL ${pinned}.` };
    const url = apiUrl(settings, ".json");
    const outcome = await http.call(
      url,
      { headers: { Authorization: authorization, Accept: "application/json" } },
      timeoutMs,
    );
    if (outcome.kind === "network")
      return {
        ok: false,
        problem: outcome.problem,
        field: "baseUrl",
        message: describeNetworkProblem(outcome, url),
      };
    // The answer is classified, never quoted: only its status and Twilio's numeric error code.
    if (outcome.status === 200) {
      const status = parseJson(outcome.text, TwilioAccount)?.status;
      const known = status === "active" || status === "suspended" || status === "closed" ? status : "unknown";
      return { ok: true, detail: `Twilio accepted the Account SID and Auth Token (account ${known}).` };
    }
    const code = parseJson(outcome.text, TwilioError)?.code;
    const answer = `${httpStatusReason(outcome.status)}${code === undefined ? "" : `, ${twilioErrorReason(code, outcome.status)}`}`;
    if (outcome.status === 401 || code === 20003)
      return {
        ok: false,
        problem: "auth",
        field: "authToken",
        message: `Twilio refused the Account SID or Auth Token (${answer}).`,
      };
    if (outcome.status === 404)
      return {
        ok: false,
        problem: "rejected",
        field: "accountSid",
        message: `Twilio does not know this account (${answer}).`,
      };
    return {
      ok: false,
      problem: "rejected",
      field: "baseUrl",
      message: `The Twilio API did not accept the test (${answer}).`,
    };
  };

  return { kind: "twilio", send, testConnection, close: async () => http.close() };
}
