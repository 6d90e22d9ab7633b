import { createHash } from "node:crypto";
import nodemailer from "nodemailer";
import type { SMTPTransportGetSocketCallback } from "nodemailer/lib/smtp-transport";
import {
  classifySmtpError,
  errorField,
  sanitizeReason,
  smtpConnectionTrouble,
  smtpErrorFacts,
  smtpFailureReason,
} from "./classify";
import { isCertificateProblem, smtpCodesReason, tlsProblem } from "./failure-reason";
import { connectChecked } from "./network.server";
import { Limiter } from "./limiter";
import type { SmtpSettings } from "./settings";
import { DEFAULT_TIMEOUT_MS, precheck } from "./types";
import type { Channel, ChannelOptions, ConnectionCheck, SendResult } from "./types";

// Email over any SMTP relay (an ESP's or the merchant's own) with nodemailer's pooled transport.
// The idempotency key travels twice: as `X-Idempotency-Key`, and in a deterministic `Message-ID`,
// so a re-send after a crash is the same message to receivers that dedupe on it, and an ESP's
// bounce or complaint report (which echoes the Message-ID) names the outbox row.

export const IDEMPOTENCY_MAIL_HEADER = "X-Idempotency-Key";

// Headers we set ourselves; a caller's copy would contradict them.
const RESERVED = new Set([
  "from",
  "to",
  "cc",
  "bcc",
  "subject",
  "date",
  "message-id",
  "mime-version",
  "content-type",
  "content-transfer-encoding",
  IDEMPOTENCY_MAIL_HEADER.toLowerCase(),
]);

const ONE_ADDRESS = /^[^\s@,;<>"]+@[^\s@,;<>"]+$/;

// RFC 5322 dot-atom-text limited to what our keys use; planned ids (`m_<hex>`) always fit.
const DOT_ATOM = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;

/** `<key@from-domain>`, or `<sha256(key)@from-domain>` for a key that cannot stand in a Message-ID. */
export function messageIdFor(idempotencyKey: string, fromAddress: string): string {
  const domain = fromAddress.slice(fromAddress.lastIndexOf("@") + 1) || "localhost";
  const left = DOT_ATOM.test(idempotencyKey)
    ? idempotencyKey
    : createHash("sha256").update(idempotencyKey).digest("hex").slice(0, 40);
  return `<${left}@${domain}>`;
}

const codesOf = (reply: string): string => {
  const codes = smtpCodesReason(reply);
  return codes ? `: ${codes}` : "";
};

function checkHeaders(headers: Record<string, string>): string | undefined {
  for (const [name, value] of Object.entries(headers)) {
    if (!/^[A-Za-z0-9-]{1,76}$/.test(name)) return `invalid header name ${sanitizeReason(name)}`;
    if (RESERVED.has(name.toLowerCase())) return `header ${name} is set by the channel`;
    if (/[\r\n]/.test(value)) return `header ${name} has a line break`;
  }
  return undefined;
}

export function createSmtpChannel(settings: SmtpSettings, options: ChannelOptions): Channel {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const transport = nodemailer.createTransport(
    {
      pool: true,
      // Every connection goes to an address checked against the policy (network.server.ts);
      // nodemailer then speaks SMTP (and TLS, verified against the host name) over it.
      getSocket: (_options: unknown, callback: SMTPTransportGetSocketCallback) => {
        connectChecked(settings.host, settings.port, options.network, timeoutMs, options.resolve).then(
          (connection) => callback(null, { connection }),
          (error: Error) => callback(error),
        );
      },
      host: settings.host,
      port: settings.port,
      secure: settings.security === "tls",
      requireTLS: settings.security === "starttls",
      ignoreTLS: settings.security === "none",
      auth: settings.user ? { user: settings.user, pass: settings.password ?? "" } : undefined,
      maxConnections: settings.poolSize,
      maxMessages: 1000,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      dnsTimeout: timeoutMs,
      logger: false,
    },
    // Message content comes from templates: never let it make nodemailer read files or URLs.
    { disableFileAccess: true, disableUrlAccess: true },
  );
  // Pool errors also reach each pending send's callback; the listener only keeps an unowned one
  // from crashing the process.
  transport.on("error", () => undefined);
  // One message per pooled connection at a time: queueing here keeps the deadline for the wire.
  const limiter = new Limiter(settings.poolSize);
  const from = settings.fromName
    ? { name: settings.fromName, address: settings.fromAddress }
    : settings.fromAddress;

  const send: Channel["send"] = async (input, sendOptions): Promise<SendResult> => {
    const checked = precheck(input, "email");
    if (!checked.ok) return checked.result;
    const { idempotencyKey, to, content } = checked.message;
    // one recipient, never a list: "a@x, b@y" would mail two people under one key
    if (!ONE_ADDRESS.test(to)) return { status: "failed", reason: "the recipient is not one email address" };
    const problem = checkHeaders(content.headers ?? {});
    if (problem) return { status: "failed", reason: problem };
    try {
      const turn = await limiter.runAtTurn(
        () =>
          transport.sendMail({
            from,
            to,
            subject: content.subject,
            text: content.text,
            html: content.html,
            messageId: messageIdFor(idempotencyKey, settings.fromAddress),
            headers: { ...content.headers, [IDEMPOTENCY_MAIL_HEADER]: idempotencyKey },
            signal: AbortSignal.timeout(timeoutMs),
          }),
        sendOptions?.atTurn,
      );
      if (!turn.ran) return { status: "withdrawn", reason: turn.withdrawn };
      const info = turn.value;
      if (info.rejected.length > 0 && info.accepted.length === 0)
        return { status: "failed", reason: `recipient rejected${codesOf(info.response)}` };
      const queued = /queued as ([A-Za-z0-9._-]+)/i.exec(info.response);
      return { status: "sent", providerId: queued?.[1] ?? info.messageId };
    } catch (error) {
      return classifySmtpError(error, timeoutMs);
    }
  };

  const testConnection = async (): Promise<ConnectionCheck> => {
    try {
      await withDeadline(transport.verify(), timeoutMs * 2);
      return {
        ok: true,
        detail: `${settings.host}:${settings.port} accepted the connection${settings.user ? " and the login" : ""}.`,
      };
    } catch (error) {
      return describeSmtpFailure(error, settings);
    }
  };

  return {
    kind: "smtp",
    send,
    testConnection,
    close: async () => {
      transport.close();
    },
  };
}

async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error(`no answer within ${ms} ms`), { code: "ETIMEDOUT" })),
      ms,
    );
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Names the setting to fix; the Settings form shows `message` next to `field`. */
export function describeSmtpFailure(
  error: unknown,
  settings: Pick<SmtpSettings, "host" | "port" | "user">,
): ConnectionCheck {
  const facts = smtpErrorFacts(error);
  const where = `${settings.host}:${settings.port}`;
  const answer = smtpFailureReason(facts);
  if (facts.code === "EDESTINATION" || errorField(error, "code") === "EDESTINATION")
    return {
      ok: false,
      problem: "destination",
      field: "host",
      message: `Not connected: ${sanitizeReason(facts.text)}. Use your provider's public host name.`,
    };
  const trouble = smtpConnectionTrouble(facts);
  switch (trouble) {
    case "dns":
      return {
        ok: false,
        problem: "dns",
        field: "host",
        message: `The SMTP host ${settings.host} was not found (DNS).`,
      };
    case "refused":
      return {
        ok: false,
        problem: "refused",
        field: "port",
        message: `Nothing accepts connections at ${where} (connection refused): check the host and port.`,
      };
    case "timeout":
      return {
        ok: false,
        problem: "timeout",
        field: "host",
        message: `No answer from ${where} in time: check the host, port and firewall.`,
      };
    case "tls": {
      const problem = tlsProblem(facts.originalCode ?? facts.code, facts.text);
      if (!isCertificateProblem(problem))
        return {
          ok: false,
          problem: "tls",
          field: "security",
          message: `The TLS handshake with ${where} failed: port 465 uses TLS, 587 STARTTLS (${answer}).`,
        };
      const fix =
        problem === "certificate not valid for the host name"
          ? "use the host name your provider's certificate names"
          : "the server needs a valid certificate from a public certificate authority";
      return {
        ok: false,
        problem: "tls",
        field: "host",
        message: `The certificate of ${where} was refused: ${answer}; ${fix}.`,
      };
    }
    case "network":
      return {
        ok: false,
        problem: "network",
        field: "host",
        message: `Could not talk to ${where} (${answer}).`,
      };
    case undefined:
      break;
    default: {
      const _exhaustive: never = trouble;
      break;
    }
  }
  if (
    facts.code === "EAUTH" ||
    facts.code === "ENOAUTH" ||
    facts.responseCode === 535 ||
    facts.responseCode === 530
  )
    return {
      ok: false,
      problem: "auth",
      field: settings.user ? "password" : "user",
      message: `The SMTP server refused the login (${answer}).`,
    };
  if (facts.responseCode !== undefined)
    return {
      ok: false,
      problem: "rejected",
      field: "host",
      message: `The SMTP server refused the test (${answer}).`,
    };
  return { ok: false, problem: "network", field: "host", message: `Could not talk to ${where} (${answer}).` };
}
