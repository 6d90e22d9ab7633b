import { createHmac } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FaultPlan } from "./faults";
import { readBody, sendJson } from "./http";
import type { SinkLog } from "./log";

// Twilio's Messages resource as far as the SMS channel uses it: Basic auth with the Account SID
// and Auth Token, form-encoded To/From|MessagingServiceSid/Body, Twilio's error JSON
// ({ code, message, more_info, status }) and codes, 201 with an "SM…" sid. A repeated
// `I-Twilio-Idempotency-Token` gets the first answer again (same sid) and counts as a duplicate.
// The recipients +1500555000{1,2,3,4,9} are refused like Twilio's test credentials refuse them.
//
// Delivery reports: a message to +1500555EEEEE (EEEEE a Twilio error code, e.g. +150055530005)
// is accepted, and when it names a StatusCallback the sink then POSTs Twilio's status callbacks
// there, signed with the auth token as Twilio signs them (X-Twilio-Signature): "sent" and then
// "undelivered" for a 3xxxx code (30003 unreachable, 30005 unknown handset, 30006 landline),
// "failed" for any other (21610 the recipient replied STOP). Any other number gets "sent" and then
// "delivered", as a handset that received it.
//
// Incoming texts: `inbound` posts a message "from a customer" to a URL, with the form fields and
// the X-Twilio-Signature Twilio's incoming-message webhook has, so a test drives a reply such as
// STOP through the app's route.

export interface SmsEntry {
  seq: number;
  at: string;
  key: string | null;
  count: number;
  sid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  segments: number;
  /** a repeated idempotency token: answered with the first sid, no new message */
  replay: boolean;
}

export interface TwilioSinkConfig {
  accountSid: string;
  authToken: string;
}

/** One status callback the sink made, with what the receiver answered. */
export interface StatusCallbackEntry {
  at: string;
  sid: string;
  status: string;
  errorCode: number | null;
  url: string;
  /** the form body exactly as sent, and its signature: a test can replay it */
  body: string;
  signature: string;
  /** the receiver's HTTP status, or null when the request failed */
  answer: number | null;
  error: string | null;
}

/** An incoming text to deliver: `signWith` signs with another token (a forgery). */
export interface InboundSmsInput {
  url: string;
  from: string;
  to: string;
  body: string;
  /** Twilio's reading on numbers of a Messaging Service with Advanced Opt-Out: STOP, START, HELP */
  optOutType?: string;
  messagingServiceSid?: string;
  signWith?: string;
}

/** What the receiver answered to an incoming text. */
export interface InboundSmsAnswer {
  status: number;
  contentType: string | null;
  text: string;
  /** the form body as sent and its signature: a test can replay or alter it */
  form: string;
  signature: string;
}

const REPORTED_TO = /^\+1500555([1-9]\d{4})$/;
const MAX_CALLBACK_ENTRIES = 500;

/** Twilio's request signature, written out independently of the app's verifier. */
export function signTwilioRequest(authToken: string, url: string, form: URLSearchParams): string {
  const pairs = [...form].sort(([a, av], [b, bv]) =>
    a === b ? (av < bv ? -1 : av > bv ? 1 : 0) : a < b ? -1 : 1,
  );
  return createHmac("sha1", authToken)
    .update(url + pairs.map(([name, value]) => name + value).join(""))
    .digest("base64");
}

const E164 = /^\+[1-9]\d{6,14}$/;
const GSM = /^[A-Za-z0-9 \r\n@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!"#¤%&'()*+,\-./:;<=>?¡ÄÖÑÜ§¿äöñüà]*$/;

// Twilio's test-credential "magic" recipients, so tests can provoke real provider refusals.
const MAGIC_TO = new Map([
  ["+15005550001", { code: 21211, message: "The 'To' number {to} is not a valid phone number." }],
  [
    "+15005550002",
    {
      code: 21612,
      message:
        "The 'To' phone number: {to}, is not currently reachable using the 'From' phone number via SMS.",
    },
  ],
  [
    "+15005550003",
    {
      code: 21408,
      message:
        "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: {to}.",
    },
  ],
  ["+15005550004", { code: 21610, message: "Attempt to send to unsubscribed recipient" }],
  ["+15005550009", { code: 21614, message: "'To' number is not a valid mobile number" }],
]);

export function segmentsOf(body: string): number {
  const [single, multi] = GSM.test(body) ? [160, 153] : [70, 67];
  const length = [...body].length;
  return length <= single ? 1 : Math.ceil(length / multi);
}

function twilioError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(
    res,
    status,
    { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
    headers,
  );
}

export function createTwilioSink(
  config: TwilioSinkConfig,
  deps: { log: SinkLog<SmsEntry>; faults: FaultPlan; nextSeq: () => number; maxKeys: number },
) {
  const sids = new Map<string, string>();
  const callbacks: StatusCallbackEntry[] = [];
  const pending = new Set<Promise<void>>();
  let closing = new AbortController();

  const callBack = async (url: string, params: Record<string, string>): Promise<void> => {
    const form = new URLSearchParams(params);
    const body = form.toString();
    const signature = signTwilioRequest(config.authToken, url, form);
    const entry: StatusCallbackEntry = {
      at: new Date().toISOString(),
      sid: params.MessageSid ?? "",
      status: params.MessageStatus ?? "",
      errorCode: params.ErrorCode ? Number(params.ErrorCode) : null,
      url,
      body,
      signature,
      answer: null,
      error: null,
    };
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "X-Twilio-Signature": signature,
          "User-Agent": "TwilioProxy/1.1",
        },
        body,
        redirect: "manual",
        signal: AbortSignal.any([closing.signal, AbortSignal.timeout(10_000)]),
      });
      await response.arrayBuffer();
      entry.answer = response.status;
    } catch (error) {
      entry.error = error instanceof Error ? error.message : String(error);
    }
    callbacks.push(entry);
    if (callbacks.length > MAX_CALLBACK_ENTRIES) callbacks.shift();
  };

  /** Reports of a message (code 0: delivered; else +1500555EEEEE's error), one after the other, after the answer. */
  const scheduleReports = (entry: SmsEntry, statusCallback: string, code: number): void => {
    const base: Record<string, string> = {
      AccountSid: config.accountSid,
      ApiVersion: "2010-04-01",
      MessageSid: entry.sid,
      SmsSid: entry.sid,
      To: entry.to,
      ...(entry.from ? { From: entry.from } : {}),
      ...(entry.messagingServiceSid ? { MessagingServiceSid: entry.messagingServiceSid } : {}),
    };
    const report = (status: string, errorCode?: number) => ({
      ...base,
      MessageStatus: status,
      SmsStatus: status,
      ...(errorCode !== undefined ? { ErrorCode: String(errorCode) } : {}),
    });
    const reports =
      code === 0
        ? [report("sent"), report("delivered")]
        : code >= 30000 && code < 40000
          ? [report("sent"), report("undelivered", code)]
          : [report("failed", code)];
    const run = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      for (const params of reports) {
        if (closing.signal.aborted) return;
        await callBack(statusCallback, params);
      }
    })();
    pending.add(run);
    void run.finally(() => pending.delete(run));
  };
  const expectedAuth = `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString("base64")}`;
  const accountPath = `/2010-04-01/Accounts/${config.accountSid}`;

  const messageJson = (entry: SmsEntry) => ({
    account_sid: config.accountSid,
    api_version: "2010-04-01",
    body: entry.body,
    date_created: new Date(entry.at).toUTCString(),
    date_sent: null,
    date_updated: new Date(entry.at).toUTCString(),
    direction: "outbound-api",
    error_code: null,
    error_message: null,
    from: entry.from,
    messaging_service_sid: entry.messagingServiceSid,
    num_media: "0",
    num_segments: String(entry.segments),
    price: null,
    price_unit: "USD",
    sid: entry.sid,
    status: entry.messagingServiceSid ? "accepted" : "queued",
    to: entry.to,
    uri: `${accountPath}/Messages/${entry.sid}.json`,
  });

  const createMessage = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const key =
      typeof req.headers["i-twilio-idempotency-token"] === "string"
        ? req.headers["i-twilio-idempotency-token"]
        : null;
    const reject = (status: number, code: number, message: string, headers?: Record<string, string>) => {
      deps.log.reject({ at: new Date().toISOString(), status, reason: `${code} ${message}`, key });
      twilioError(res, status, code, message, headers);
    };
    const fault = deps.faults.take("twilio");
    if (fault?.kind === "status") {
      const headers: Record<string, string> =
        fault.retryAfterSeconds !== undefined ? { "Retry-After": String(fault.retryAfterSeconds) } : {};
      const code = fault.status === 429 ? 20429 : fault.status >= 500 ? 20500 : 21000 + fault.status;
      return reject(
        fault.status,
        code,
        fault.message ?? (fault.status === 429 ? "Too Many Requests" : "Injected fault"),
        headers,
      );
    }
    if (fault?.kind === "timeout" && !fault.afterAccept) {
      await deps.faults.hang(fault.hangMs);
      res.destroy();
      return;
    }
    const text = await readBody(req);
    if (text === undefined) return reject(413, 21617, "Request too large");
    const form = new URLSearchParams(text);
    const to = form.get("To") ?? "";
    const from = form.get("From");
    const service = form.get("MessagingServiceSid");
    const body = form.get("Body") ?? "";
    const statusCallback = form.get("StatusCallback");
    if (!to) return reject(400, 21604, "A 'To' phone number is required.");
    if (!E164.test(to)) return reject(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (!from && !service) return reject(400, 21603, "A 'From' phone number is required.");
    if (from && !E164.test(from))
      return reject(
        400,
        21212,
        `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`,
      );
    if (service && !/^MG[0-9a-fA-F]{32}$/.test(service))
      return reject(400, 21701, "The Messaging Service Sid is invalid.");
    if (body.trim() === "") return reject(400, 21602, "Message body is required.");
    const magic = MAGIC_TO.get(to);
    if (magic) return reject(400, magic.code, magic.message.replace("{to}", to));
    if ([...body].length > 1600)
      return reject(400, 21617, "The concatenated message body exceeds the 1600 character limit.");

    const known = key === null ? undefined : sids.get(key);
    const seq = deps.nextSeq();
    const sid = known ?? `SM${seq.toString(16).padStart(32, "0")}`;
    if (key !== null && known === undefined && sids.size < deps.maxKeys) sids.set(key, sid);
    const entry: SmsEntry = {
      seq,
      at: new Date().toISOString(),
      key,
      count: deps.log.seen(key) + 1,
      sid,
      to,
      from,
      messagingServiceSid: service,
      body,
      segments: segmentsOf(body),
      replay: known !== undefined,
    };
    deps.log.accept(entry);
    const reported = REPORTED_TO.exec(to)?.[1];
    if (statusCallback && !entry.replay) scheduleReports(entry, statusCallback, reported ? Number(reported) : 0);
    if (fault?.kind === "timeout") {
      await deps.faults.hang(fault.hangMs);
      res.destroy();
      return;
    }
    sendJson(res, 201, messageJson(entry));
  };

  /** Posts an incoming text as Twilio's incoming-message webhook does. */
  const inbound = async (input: InboundSmsInput): Promise<InboundSmsAnswer> => {
    const sid = `SM${deps.nextSeq().toString(16).padStart(32, "0")}`;
    const form = new URLSearchParams({
      ToCountry: "US",
      SmsMessageSid: sid,
      NumMedia: "0",
      SmsSid: sid,
      SmsStatus: "received",
      Body: input.body,
      To: input.to,
      NumSegments: String(segmentsOf(input.body)),
      MessageSid: sid,
      AccountSid: config.accountSid,
      From: input.from,
      ApiVersion: "2010-04-01",
      ...(input.messagingServiceSid ? { MessagingServiceSid: input.messagingServiceSid } : {}),
      ...(input.optOutType ? { OptOutType: input.optOutType } : {}),
    });
    const signature = signTwilioRequest(input.signWith ?? config.authToken, input.url, form);
    const response = await fetch(input.url, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": signature,
        "User-Agent": "TwilioProxy/1.1",
      },
      body: form.toString(),
      redirect: "manual",
      signal: AbortSignal.timeout(15_000),
    });
    return {
      status: response.status,
      contentType: response.headers.get("content-type"),
      text: await response.text(),
      form: form.toString(),
      signature,
    };
  };

  return {
    inbound,
    /** true when the request was Twilio's */
    async handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
      if (!pathname.startsWith("/2010-04-01/")) return false;
      if (req.headers.authorization !== expectedAuth) {
        deps.log.reject({
          at: new Date().toISOString(),
          status: 401,
          reason: "20003 Authenticate",
          key: null,
        });
        twilioError(res, 401, 20003, "Authenticate", { "WWW-Authenticate": 'Basic realm="Twilio API"' });
        return true;
      }
      if (req.method === "GET" && pathname === `${accountPath}.json`) {
        sendJson(res, 200, {
          sid: config.accountSid,
          friendly_name: "Emulator sink account",
          status: "active",
          type: "Full",
        });
      } else if (req.method === "POST" && pathname === `${accountPath}/Messages.json`) {
        await createMessage(req, res);
      } else {
        twilioError(res, 404, 20404, `The requested resource ${pathname} was not found`);
      }
      return true;
    },
    /** the status callbacks made so far, oldest first */
    callbacks(): StatusCallbackEntry[] {
      return [...callbacks];
    },
    /** resolves when every status callback scheduled so far has been made */
    async settled(): Promise<void> {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    reset(): void {
      sids.clear();
      callbacks.length = 0;
    },
    /** stops the callbacks in flight */
    async close(): Promise<void> {
      closing.abort();
      await Promise.allSettled([...pending]);
      closing = new AbortController();
    },
  };
}
