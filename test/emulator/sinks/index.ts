import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type {
  SmtpSettings,
  TwilioSettings,
  WebhookChannelSettings,
} from "../../../app/messaging/channels/settings";
import { FaultPlan, type FaultSpec, type SinkChannel } from "./faults";
import { sendJson } from "./http";
import { SinkLog, type SinkStats } from "./log";
import { startSmtpSink, type MailEntry } from "./smtp";
import {
  createTwilioSink,
  type InboundSmsAnswer,
  type InboundSmsInput,
  type SmsEntry,
  type StatusCallbackEntry,
} from "./twilio";
import { mailView, renderViewer, snapshot, type MailView, type SinksSnapshot } from "./viewer";
import { createWebhookSink, type WebhookEntry } from "./webhook";

// Local stand-ins for the delivery providers, started with the emulator on 127.0.0.1: a real
// SMTP server, a Twilio-compatible Messages endpoint and a signed-webhook receiver, plus the
// outbox viewer. `settings` holds channel settings that point at them.

export type { FaultSpec, SinkChannel } from "./faults";
export type { SinkStats, Rejection } from "./log";
export type { MailEntry } from "./smtp";
export type { InboundSmsAnswer, InboundSmsInput, SmsEntry, StatusCallbackEntry } from "./twilio";
export type { WebhookEntry } from "./webhook";
export type { MailView, SinksSnapshot } from "./viewer";

export interface SinksOptions {
  smtpPort?: number;
  httpPort?: number;
  /** when set, the SMTP sink requires this login; otherwise it accepts any or none */
  smtpAuth?: { user: string; password: string };
  twilio?: { accountSid?: string; authToken?: string };
  webhookSecret?: string;
  /** entries kept per sink for the viewer (default 500) */
  capacity?: number;
  /** idempotency keys counted exactly per sink (default 1,000,000) */
  maxTrackedKeys?: number;
  /** the receivers' clock, for webhook timestamps (default Date.now) */
  now?: () => number;
}

export interface Sinks {
  smtp: { host: string; port: number };
  twilio: { baseUrl: string; accountSid: string; authToken: string; fromNumber: string };
  webhook: { url: string; signingSecret: string };
  /** the outbox viewer (HTML); `${viewerUrl}.json` for JSON */
  viewerUrl: string;
  /** channel settings aimed at the sinks */
  settings: { smtp: SmtpSettings; twilio: TwilioSettings; webhook: WebhookChannelSettings };
  failNext(fault: FaultSpec): void;
  clearFaults(): void;
  /** accepted deliveries carrying this idempotency key */
  countFor(channel: SinkChannel, key: string): number;
  /** when this idempotency key was first accepted (ms since the epoch) */
  firstAcceptedAt(channel: SinkChannel, key: string): number | undefined;
  stats(): Record<SinkChannel, SinkStats>;
  mail(limit?: number): MailView[];
  sms(limit?: number): SmsEntry[];
  webhooks(limit?: number): WebhookEntry[];
  /** the Twilio sink's status callbacks (messages to +1500555EEEEE), oldest first */
  statusCallbacks(): StatusCallbackEntry[];
  /** resolves once every status callback scheduled so far has been made */
  statusCallbacksSettled(): Promise<void>;
  /**
   * A customer's text to the sink's number (`to` defaults to it), posted to `url` as Twilio's
   * incoming-message webhook posts it, signed with the sink's auth token.
   */
  inboundSms(input: Omit<InboundSmsInput, "to"> & { to?: string }): Promise<InboundSmsAnswer>;
  snapshot(limit?: number): SinksSnapshot;
  reset(): void;
  /** serves GET /sinks and /sinks.json from another server (the emulator's); false otherwise */
  handleViewer(req: IncomingMessage, res: ServerResponse): boolean;
  close(): Promise<void>;
}

export const SINK_TWILIO_SID = `AC${"5e".repeat(16)}`;
export const SINK_TWILIO_TOKEN = "sink-auth-token-0123456789abcdef";
export const SINK_WEBHOOK_SECRET = "whsec_emulator_sink_0123456789";

export async function startSinks(options: SinksOptions = {}): Promise<Sinks> {
  const capacity = options.capacity ?? 500;
  const maxKeys = options.maxTrackedKeys ?? 1_000_000;
  const logs = {
    smtp: new SinkLog<MailEntry>(capacity, maxKeys),
    twilio: new SinkLog<SmsEntry>(capacity, maxKeys),
    webhook: new SinkLog<WebhookEntry>(capacity, maxKeys),
  };
  const faults = new FaultPlan();
  let seq = 0;
  const nextSeq = () => (seq += 1);
  const twilioConfig = {
    accountSid: options.twilio?.accountSid ?? SINK_TWILIO_SID,
    authToken: options.twilio?.authToken ?? SINK_TWILIO_TOKEN,
  };
  const signingSecret = options.webhookSecret ?? SINK_WEBHOOK_SECRET;

  const smtp = await startSmtpSink(
    { port: options.smtpPort, auth: options.smtpAuth },
    { log: logs.smtp, faults, nextSeq },
  );
  const twilio = createTwilioSink(twilioConfig, { log: logs.twilio, faults, nextSeq, maxKeys });
  const webhook = createWebhookSink(
    { signingSecret, now: options.now ?? Date.now },
    { log: logs.webhook, faults, nextSeq },
  );

  // Channel settings aimed at the sinks, for the app's "Use the local sinks" (demo only).
  const published: { settings?: Sinks["settings"] } = {};
  const handleViewer = (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = new URL(req.url ?? "/", "http://sinks");
    if (req.method === "GET" && url.pathname === "/sinks/settings.json") {
      sendJson(res, published.settings ? 200 : 503, published.settings ?? { error: "starting" }, {
        "Cache-Control": "no-store",
      });
      return true;
    }
    if (req.method !== "GET" || (url.pathname !== "/sinks" && url.pathname !== "/sinks.json")) return false;
    const limit = Math.min(Math.max(Number(url.searchParams.get("limit")) || 50, 1), capacity);
    const data = snapshot(logs, webhook.pings, limit);
    if (url.pathname === "/sinks.json") sendJson(res, 200, data, { "Cache-Control": "no-store" });
    else {
      const html = renderViewer(data);
      res.writeHead(200, {
        "Content-Type": "text/html; charset=utf-8",
        "Content-Length": Buffer.byteLength(html),
        "Cache-Control": "no-store",
      });
      res.end(html);
    }
    return true;
  };

  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? "/", "http://sinks").pathname;
    const work = async () => {
      if (handleViewer(req, res)) return;
      if (await twilio.handle(req, res, pathname)) return;
      if (pathname === "/webhook") return webhook.handle(req, res);
      sendJson(res, 404, { error: "not found" });
    };
    work().catch((error: unknown) => {
      process.stderr.write(
        `sinks: ${req.method} ${pathname} failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      if (!res.headersSent) sendJson(res, 500, { error: "sink error" });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.httpPort ?? 0, "127.0.0.1", () => resolve());
  });
  const address: AddressInfo | string | null = server.address();
  const httpUrl = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
  const fromNumber = "+15005550006";
  const settings: Sinks["settings"] = {
    smtp: {
      kind: "smtp",
      host: "127.0.0.1",
      port: smtp.port,
      security: "none",
      user: options.smtpAuth?.user,
      password: options.smtpAuth?.password,
      fromAddress: "shop@sink.emulator.local",
      fromName: "Emulator Shop",
      poolSize: 8,
    },
    twilio: { kind: "twilio", ...twilioConfig, fromNumber, baseUrl: httpUrl },
    webhook: { kind: "webhook", url: `${httpUrl}/webhook`, signingSecret },
  };
  published.settings = settings;

  return {
    smtp: { host: "127.0.0.1", port: smtp.port },
    twilio: { baseUrl: httpUrl, ...twilioConfig, fromNumber },
    webhook: { url: `${httpUrl}/webhook`, signingSecret },
    viewerUrl: `${httpUrl}/sinks`,
    settings,
    failNext: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    countFor: (channel, key) => logs[channel].countFor(key),
    firstAcceptedAt: (channel, key) => logs[channel].firstAcceptedAt(key),
    stats: () => ({ smtp: logs.smtp.stats(), twilio: logs.twilio.stats(), webhook: logs.webhook.stats() }),
    mail: (limit) => logs.smtp.recent(limit).map(mailView),
    sms: (limit) => logs.twilio.recent(limit),
    webhooks: (limit) => logs.webhook.recent(limit),
    statusCallbacks: () => twilio.callbacks(),
    statusCallbacksSettled: () => twilio.settled(),
    inboundSms: (input) => twilio.inbound({ ...input, to: input.to ?? fromNumber }),
    snapshot: (limit = capacity) => snapshot(logs, webhook.pings, limit),
    reset: () => {
      for (const log of Object.values(logs)) log.reset();
      twilio.reset();
      webhook.reset();
      faults.clear();
    },
    handleViewer,
    close: async () => {
      faults.close();
      await twilio.close();
      server.closeAllConnections();
      await Promise.all([new Promise<void>((resolve) => server.close(() => resolve())), smtp.close()]);
    },
  };
}
