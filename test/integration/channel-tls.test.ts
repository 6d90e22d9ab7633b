import { readFileSync } from "node:fs";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { getCACertificates, setDefaultCACertificates, type TLSSocket } from "node:tls";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChannel } from "~/messaging/channels/create-channel.server";
import type { ResolveAll } from "~/messaging/channels/network.server";
import type { ChannelSettings } from "~/messaging/channels/settings";
import type { Channel } from "~/messaging/channels/types";
import { messageFor as oneMessage } from "../support/channel-messages";
import { EMULATOR_NETWORK } from "../support/network";

// TLS through the pinned connections, as production uses them: the channels resolve a host name
// once, connect to the checked address, and must still verify the certificate against the NAME
// (SNI and the hostname check), not the address they pinned. Real servers (smtp-server with
// implicit TLS and with STARTTLS, node's https) present certificates from test/fixtures/tls
// (generate.sh): `relay` is signed by the test CA for the channels' names; `pinned-address` is
// signed by the same CA for 127.0.0.1 (the pinned address) and another name, so a client that
// checked the address would take it; `self-signed` names the right hosts but nobody signed it.
// The test CA is added to this process's default CA store, the one production's connections use.
// The names resolve to 127.0.0.1 through the channel's resolver, which only the emulator's
// policy (the demo's) lets the channels connect to.

const FIXTURES = new URL("../fixtures/tls/", import.meta.url);
const pem = (name: string) => readFileSync(new URL(name, FIXTURES), "utf8");
type CertName = "relay" | "pinned-address" | "self-signed";
const certificate = (name: CertName) => ({ key: pem(`${name}.key`), cert: pem(`${name}.pem`) });
/** What the message log keeps when a server presents the certificate: node's code, classified. */
const REFUSED: Record<Exclude<CertName, "relay">, string> = {
  "pinned-address": "TLS certificate not valid for the host name (ERR_TLS_CERT_ALTNAME_INVALID)",
  "self-signed": "TLS certificate not trusted (DEPTH_ZERO_SELF_SIGNED_CERT)",
};

const MAIL_HOST = "mail.relay.test";
const HOOK_HOST = "hooks.shop.test";
const TWILIO_HOST = "api.twilio.com";
const SID = `AC${"ab".repeat(16)}`;

/** The names resolve to 127.0.0.1 (as a public host's would to its address); every question is kept. */
function localResolver() {
  const asked: string[] = [];
  const resolve: ResolveAll = async (hostname) => {
    asked.push(hostname);
    if ([MAIL_HOST, HOOK_HOST, TWILIO_HOST].includes(hostname)) return [{ address: "127.0.0.1", family: 4 }];
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
  };
  return { asked, resolve };
}

interface SmtpRelay {
  port: number;
  /** the SNI name of each TLS session the server saw */
  servernames: Array<string | false | undefined>;
  /** recipients of each message received over TLS */
  received: string[][];
  close(): Promise<void>;
}

async function startRelay(mode: "tls" | "starttls", cert: CertName): Promise<SmtpRelay> {
  const servernames: SmtpRelay["servernames"] = [];
  const received: string[][] = [];
  const server = new SMTPServer({
    ...certificate(cert),
    secure: mode === "tls",
    authOptional: true,
    logger: false,
    onSecure(socket, session, callback) {
      servernames.push(session.servername ?? undefined);
      callback();
    },
    onData(stream, session, callback) {
      stream.resume();
      stream.on("end", () => {
        if (session.secure) received.push(session.envelope.rcptTo.map((r) => r.address));
        callback(null, "OK: queued as T1");
      });
    },
  });
  server.on("error", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.server.address() as AddressInfo;
  return {
    port: address.port,
    servernames,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface HttpsEndpoint {
  port: number;
  /** SNI name and Host header of each request that got through */
  requests: Array<{ servername: string | false | null; host: string | undefined; path: string | undefined }>;
  close(): Promise<void>;
}

async function startHttps(cert: CertName): Promise<HttpsEndpoint> {
  const requests: HttpsEndpoint["requests"] = [];
  const server: HttpsServer = createHttpsServer(certificate(cert), (req, res) => {
    requests.push({
      servername: (req.socket as TLSSocket).servername,
      host: req.headers.host,
      path: req.url,
    });
    req.resume();
    req.on("end", () => {
      res.writeHead(req.url?.endsWith("/Messages.json") ? 201 : 200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ sid: `SM${"cd".repeat(16)}`, status: "active" }));
    });
  });
  server.on("tlsClientError", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  return {
    port: address.port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const smtpSettings = (security: "tls" | "starttls", port: number): ChannelSettings => ({
  kind: "smtp",
  host: MAIL_HOST,
  port,
  security,
  fromAddress: "shop@example.com",
  poolSize: 1,
});
const webhookSettings = (port: number): ChannelSettings => ({
  kind: "webhook",
  url: `https://${HOOK_HOST}:${port}/in`,
  signingSecret: "0123456789abcdef",
});
const twilioSettings = (port: number): ChannelSettings => ({
  kind: "twilio",
  accountSid: SID,
  authToken: "token",
  fromNumber: "+15551234567",
  baseUrl: `https://${TWILIO_HOST}:${port}`,
});

const messageFor = (settings: ChannelSettings) => oneMessage(settings, "tls-1", "tls.myshopify.com");

async function tryChannel(settings: ChannelSettings) {
  const { asked, resolve } = localResolver();
  const channel: Channel = createChannel(settings, { network: EMULATOR_NETWORK, resolve, timeoutMs: 3_000 });
  try {
    const check = await channel.testConnection();
    const send = await channel.send(messageFor(settings));
    return { check, send, asked: [...new Set(asked)] };
  } finally {
    await channel.close();
  }
}

beforeAll(() => {
  setDefaultCACertificates([...getCACertificates("default"), pem("ca.pem")]);
});

describe.each(["tls", "starttls"] as const)("SMTP with %s through the pinned connection", (mode) => {
  const relays: SmtpRelay[] = [];
  const relay = async (cert: CertName) => {
    const started = await startRelay(mode, cert);
    relays.push(started);
    return started;
  };
  afterAll(async () => {
    for (const r of relays) await r.close();
  });

  it("verifies the certificate for the host name, sends SNI, and delivers", async () => {
    const server = await relay("relay");
    const result = await tryChannel(smtpSettings(mode, server.port));
    expect(result.check).toMatchObject({ ok: true });
    expect(result.send).toMatchObject({ status: "sent", providerId: "T1" });
    expect(result.asked).toEqual([MAIL_HOST]);
    expect(server.servernames.length).toBeGreaterThan(0);
    expect(new Set(server.servernames)).toEqual(new Set([MAIL_HOST]));
    expect(server.received).toEqual([["jane@example.com"]]);
  });

  it.each(["pinned-address", "self-signed"] as const)(
    "refuses a %s certificate: test connection names the certificate, the message waits, nothing is sent",
    async (cert) => {
      const server = await relay(cert);
      const result = await tryChannel(smtpSettings(mode, server.port));
      const fix =
        cert === "pinned-address"
          ? "use the host name your provider's certificate names"
          : "the server needs a valid certificate from a public certificate authority";
      expect(result.check).toEqual({
        ok: false,
        problem: "tls",
        field: "host",
        message: `The certificate of ${MAIL_HOST}:${server.port} was refused: ${REFUSED[cert]}; ${fix}.`,
      });
      expect(result.send).toEqual({ status: "retry", reason: REFUSED[cert] });
      expect(server.received).toEqual([]);
    },
  );
});

describe("HTTPS (webhook channel, Twilio) through the pinned agents", () => {
  const endpoints: HttpsEndpoint[] = [];
  const endpoint = async (cert: CertName) => {
    const started = await startHttps(cert);
    endpoints.push(started);
    return started;
  };
  afterAll(async () => {
    for (const e of endpoints) await e.close();
  });

  it("verifies the certificate for the host name, sends SNI and Host, and delivers", async () => {
    const hook = await endpoint("relay");
    const webhook = await tryChannel(webhookSettings(hook.port));
    expect(webhook.check).toMatchObject({ ok: true });
    expect(webhook.send).toMatchObject({ status: "sent" });
    expect(webhook.asked).toEqual([HOOK_HOST]);
    expect(hook.requests).toEqual([
      { servername: HOOK_HOST, host: `${HOOK_HOST}:${hook.port}`, path: "/in" },
      { servername: HOOK_HOST, host: `${HOOK_HOST}:${hook.port}`, path: "/in" },
    ]);

    const api = await endpoint("relay");
    const twilio = await tryChannel(twilioSettings(api.port));
    expect(twilio.check).toMatchObject({ ok: true });
    expect(twilio.send).toEqual({ status: "sent", providerId: `SM${"cd".repeat(16)}` });
    expect(twilio.asked).toEqual([TWILIO_HOST]);
    expect(api.requests.map((r) => r.servername)).toEqual([TWILIO_HOST, TWILIO_HOST]);
    expect(api.requests[1]?.path).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`);
  });

  it.each(["pinned-address", "self-signed"] as const)(
    "refuses a %s certificate: test connection says TLS, the message waits, nothing is sent",
    async (cert) => {
      const hook = await endpoint(cert);
      const webhook = await tryChannel(webhookSettings(hook.port));
      expect(webhook.check).toEqual({
        ok: false,
        problem: "tls",
        field: "url",
        message: `The TLS connection to ${HOOK_HOST}:${hook.port} failed (${REFUSED[cert]}).`,
      });
      expect(webhook.send).toEqual({ status: "retry", reason: REFUSED[cert] });
      const api = await endpoint(cert);
      const twilio = await tryChannel(twilioSettings(api.port));
      expect(twilio.check).toMatchObject({ ok: false, problem: "tls", field: "baseUrl" });
      expect(twilio.send).toEqual({ status: "retry", reason: REFUSED[cert] });
      expect([hook.requests, api.requests]).toEqual([[], []]);
    },
  );
});
