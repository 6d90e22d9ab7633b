import type { IncomingMessage, ServerResponse } from "node:http";
import type { FaultPlan } from "./faults";
import { readBody, sendJson } from "./http";
import type { SinkLog } from "./log";

// Twilio's Messages resource as far as the SMS channel uses it: Basic auth with the Account SID
// and Auth Token, form-encoded To/From|MessagingServiceSid/Body, Twilio's error JSON
// ({ code, message, more_info, status }) and codes, 201 with an "SM…" sid. A repeated
// `I-Twilio-Idempotency-Token` gets the first answer again (same sid) and counts as a duplicate.
// The recipients +1500555000{1,2,3,4,9} are refused like Twilio's test credentials refuse them.

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
    if (fault?.kind === "timeout") {
      await deps.faults.hang(fault.hangMs);
      res.destroy();
      return;
    }
    sendJson(res, 201, messageJson(entry));
  };

  return {
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
    reset(): void {
      sids.clear();
    },
  };
}
