import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from "smtp-server";
import type { FaultPlan } from "./faults";
import type { SinkLog } from "./log";
import { decodeEncodedWords, parseHeaders, splitMessage } from "./mime";

// A real SMTP server (the `smtp-server` package) that keeps what it is sent. Plain text only
// (STARTTLS off: no certificate to trust), any login accepted unless credentials are configured.
// Recipients whose local part starts with "bounce" (`bounce@…`, `bounce-7@example.com`) do not
// exist: RCPT TO answers `550 5.1.1 … User unknown`, a hard bounce as a real server gives it.

export const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
const MAX_STORED_BYTES = 64 * 1024;

export interface MailEntry {
  seq: number;
  at: string;
  key: string | null;
  /** deliveries of this key so far, this one included */
  count: number;
  messageId: string | null;
  envelopeFrom: string;
  to: string[];
  subject: string;
  listUnsubscribe: string | null;
  listUnsubscribePost: string | null;
  size: number;
  /** the message as received, cut at 64 KB */
  raw: string;
}

export interface SmtpSinkOptions {
  port?: number;
  /** when set, only this login is accepted (and a login is required) */
  auth?: { user: string; password: string };
}

const smtpError = (responseCode: number, message: string): Error =>
  Object.assign(new Error(message), { responseCode });

export const UNKNOWN_RECIPIENT = /^bounce[^@]*@/i;

export async function startSmtpSink(
  options: SmtpSinkOptions,
  deps: { log: SinkLog<MailEntry>; faults: FaultPlan; nextSeq: () => number },
): Promise<{ port: number; close(): Promise<void> }> {
  const receive = async (raw: string, size: number, session: SMTPServerSession): Promise<Error | string> => {
    const fault = deps.faults.take("smtp");
    const { headerText } = splitMessage(raw);
    const headers = parseHeaders(headerText);
    const key = headers.get("x-idempotency-key") ?? null;
    if (fault?.kind === "status") {
      deps.log.reject({ at: new Date().toISOString(), status: fault.status, reason: "injected fault", key });
      return smtpError(
        fault.status,
        fault.message ?? (fault.status < 500 ? "Try again later (injected)" : "Message rejected (injected)"),
      );
    }
    if (fault?.kind === "timeout" && !fault.afterAccept) {
      await deps.faults.hang(fault.hangMs);
      return smtpError(451, "Timed out (injected)");
    }
    const seq = deps.nextSeq();
    const entry: MailEntry = {
      seq,
      at: new Date().toISOString(),
      key,
      count: deps.log.seen(key) + 1,
      messageId: headers.get("message-id") ?? null,
      envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
      to: session.envelope.rcptTo.map((r) => r.address),
      subject: decodeEncodedWords(headers.get("subject") ?? ""),
      listUnsubscribe: headers.get("list-unsubscribe") ?? null,
      listUnsubscribePost: headers.get("list-unsubscribe-post") ?? null,
      size,
      raw,
    };
    deps.log.accept(entry);
    if (fault?.kind === "timeout") await deps.faults.hang(fault.hangMs);
    return `OK: queued as M${seq}`;
  };

  const server = new SMTPServer({
    name: "sink.emulator.local",
    banner: "Holiday Segments SMTP sink",
    logger: false,
    disabledCommands: ["STARTTLS"],
    authMethods: ["PLAIN", "LOGIN"],
    authOptional: options.auth === undefined,
    allowInsecureAuth: true,
    disableReverseLookup: true,
    size: MAX_MESSAGE_BYTES,
    closeTimeout: 500,
    onAuth(auth, _session, callback) {
      const expected = options.auth;
      if (!expected || (auth.username === expected.user && auth.password === expected.password))
        return callback(null, { user: auth.username ?? "anyone" });
      callback(smtpError(535, "5.7.8 Authentication credentials invalid"));
    },
    onRcptTo(address, _session, callback) {
      if (!UNKNOWN_RECIPIENT.test(address.address)) return callback();
      deps.log.reject({ at: new Date().toISOString(), status: 550, reason: "unknown recipient", key: null });
      callback(
        smtpError(
          550,
          `5.1.1 <${address.address}>: Recipient address rejected: User unknown in local recipient table`,
        ),
      );
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      const chunks: Buffer[] = [];
      let stored = 0;
      stream.on("data", (chunk: Buffer) => {
        if (stored < MAX_STORED_BYTES) chunks.push(chunk);
        stored += chunk.length;
      });
      stream.on("end", () => {
        if (stream.sizeExceeded)
          return callback(smtpError(552, "Message exceeds fixed maximum message size"));
        const raw = Buffer.concat(chunks).subarray(0, MAX_STORED_BYTES).toString("utf8");
        receive(raw, stream.byteLength, session).then(
          (answer) => (typeof answer === "string" ? callback(null, answer) : callback(answer)),
          (error: unknown) => callback(smtpError(451, `sink error: ${String(error)}`)),
        );
      });
    },
  });
  // A client that vanishes mid-session is normal in fault tests, not an error to report.
  server.on("error", () => undefined);

  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const address: AddressInfo | string | null = server.server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
