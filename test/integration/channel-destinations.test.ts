import { randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { createServer, type Server as NetServer, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  readChannelSettings,
  saveChannelForm,
  saveChannelSettings,
  testChannel,
  type ChannelConfigDeps,
} from "~/messaging/channel-config/channel-config.server";
import { createChannel } from "~/messaging/channels/create-channel.server";
import type { NetworkPolicy } from "~/messaging/channels/destination";
import { guardedLookup } from "~/messaging/channels/network.server";
import { createSecretBox } from "~/messaging/channels/secret-box.server";
import type { ChannelSettings } from "~/messaging/channels/settings";
import { messageFor as oneMessage } from "../support/channel-messages";
import { EMULATOR_NETWORK, PRODUCTION_NETWORK } from "../support/network";
import { databaseModes, type TestDatabase } from "./helpers/db";

// SSRF: the channels never connect to loopback, private, link-local or metadata addresses (here:
// local servers that count every connection made to them), whether the merchant typed the address
// or a host name resolves to it; only the emulator's policy (the demo) reaches them. And "Test
// connection" classifies an answer, it never quotes it.

const SECRET = "INTERNAL-SECRET-4711";
/** Public addresses only, any Twilio base URL: development against real providers. */
const DEVELOPMENT: NetworkPolicy = { allowPrivate: false, twilioApiOnly: false };
const SID = `AC${"ab".repeat(16)}`;

function portOf(server: NetServer): number {
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("not listening");
  return address.port;
}

/** A TCP server on 127.0.0.1 that counts connections and answers each with `reply`. */
async function countingServer(reply: (socket: Socket) => void) {
  let connections = 0;
  const server: NetServer = createServer((socket) => {
    connections += 1;
    socket.on("error", () => undefined);
    reply(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: portOf(server),
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const httpAnswer = (status: number, body: string) => (socket: Socket) =>
  socket.once("data", () =>
    socket.end(
      `HTTP/1.1 ${status} X\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    ),
  );

const webhook = (url: string): ChannelSettings => ({
  kind: "webhook",
  url,
  signingSecret: "0123456789abcdef",
});
const smtp = (host: string, port: number): ChannelSettings => ({
  kind: "smtp",
  host,
  port,
  security: "none",
  fromAddress: "shop@example.com",
  poolSize: 1,
});
const twilio = (baseUrl: string): ChannelSettings => ({
  kind: "twilio",
  accountSid: SID,
  authToken: "token",
  fromNumber: "+15551234567",
  baseUrl,
});
const messageFor = (settings: ChannelSettings) => oneMessage(settings, "guarded-1", "guarded.myshopify.com");

describe("channels connect only where the policy allows", () => {
  let http: Awaited<ReturnType<typeof countingServer>>;
  let mail: Awaited<ReturnType<typeof countingServer>>;
  beforeAll(async () => {
    http = await countingServer(httpAnswer(200, "{}"));
    mail = await countingServer((socket) => socket.end("554 go away\r\n"));
  });
  afterAll(async () => {
    await http.close();
    await mail.close();
  });

  it("refuses loopback by name (after DNS) and in every literal form, at test connection and at send, connecting nowhere", async () => {
    const p = http.port;
    const cases: Array<[ChannelSettings, NetworkPolicy, string]> = [
      [webhook(`http://localhost:${p}/hook`), PRODUCTION_NETWORK, "url"],
      [webhook(`http://127.0.0.1:${p}/hook`), PRODUCTION_NETWORK, "url"],
      [webhook(`http://[::ffff:127.0.0.1]:${p}/hook`), PRODUCTION_NETWORK, "url"],
      [webhook(`http://[::1]:${p}/hook`), PRODUCTION_NETWORK, "url"],
      [webhook(`http://2130706433:${p}/hook`), PRODUCTION_NETWORK, "url"], // 127.0.0.1 as one number
      [webhook(`http://0x7f.1:${p}/hook`), PRODUCTION_NETWORK, "url"],
      [twilio(`http://localhost:${p}`), DEVELOPMENT, "baseUrl"],
      [smtp("localhost", mail.port), PRODUCTION_NETWORK, "host"],
      [smtp("127.0.0.1", mail.port), PRODUCTION_NETWORK, "host"],
      [smtp("::ffff:127.0.0.1", mail.port), PRODUCTION_NETWORK, "host"],
    ];
    for (const [settings, network, field] of cases) {
      const channel = createChannel(settings, { network, timeoutMs: 2_000 });
      try {
        expect(await channel.testConnection()).toMatchObject({ ok: false, problem: "destination", field });
        expect(await channel.send(messageFor(settings))).toMatchObject({
          status: "failed",
          reason: expect.stringMatching(/loopback address, which the app never connects to/),
        });
      } finally {
        await channel.close();
      }
    }
    expect([http.connections(), mail.connections()]).toEqual([0, 0]);
  });

  it("takes only Twilio's own API in production, without connecting elsewhere", async () => {
    const channel = createChannel(twilio(`http://localhost:${http.port}`), { network: PRODUCTION_NETWORK });
    expect(await channel.testConnection()).toMatchObject({
      ok: false,
      problem: "config",
      field: "baseUrl",
      message: "The API base URL must be https://api.twilio.com.",
    });
    expect(await channel.send(messageFor(twilio("x")))).toMatchObject({ status: "failed" });
    expect(http.connections()).toBe(0);
  });

  it("reaches the same local servers with the emulator's policy (the demo's sinks)", async () => {
    const hook = createChannel(webhook(`http://localhost:${http.port}/hook`), { network: EMULATOR_NETWORK });
    expect(await hook.testConnection()).toMatchObject({ ok: true });
    const relay = createChannel(smtp("localhost", mail.port), {
      network: EMULATOR_NETWORK,
      timeoutMs: 2_000,
    });
    expect(await relay.testConnection()).toMatchObject({ ok: false, problem: "rejected" });
    await hook.close();
    await relay.close();
    expect(http.connections()).toBeGreaterThan(0);
    expect(mail.connections()).toBeGreaterThan(0);
  });

  it("connects to the address its one lookup checked: node gets exactly that answer, asked once", async () => {
    let asked = 0;
    const lookup = guardedLookup(EMULATOR_NETWORK, async () => {
      asked += 1;
      return asked === 1
        ? [{ address: "127.0.0.1", family: 4 }]
        : [{ address: "169.254.169.254", family: 4 }];
    });
    const before = http.connections();
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: "rebinding.example", port: http.port, path: "/", lookup }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    expect([status, asked, http.connections() - before]).toEqual([200, 1, 1]);

    // Under the production policy an answer holding any refused address is refused whole.
    const refused = await new Promise<string>((resolve) =>
      guardedLookup(PRODUCTION_NETWORK, async () => [
        { address: "93.184.215.14", family: 4 },
        { address: "10.0.0.7", family: 4 },
      ])("mixed.example", { all: true }, (error) => resolve(error?.message ?? "no error")),
    );
    expect(refused).toBe("mixed.example is a private address, which the app never connects to");
  });
});

describe("test connection classifies the answer and never quotes it", () => {
  const servers: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    for (const server of servers) await server.close();
  });

  it("webhook, Twilio and SMTP answers that carry text show only status and codes, at test and at send", async () => {
    const hook = await countingServer(httpAnswer(500, `{"error":"${SECRET}"}`));
    const twilioError = await countingServer(httpAnswer(400, `{"code":21211,"message":"${SECRET}"}`));
    const twilioOk = await countingServer(
      httpAnswer(200, `{"friendly_name":"${SECRET}","status":"${SECRET}"}`),
    );
    const smtpServer = await countingServer((socket) => {
      socket.write(`220 ${SECRET} ESMTP\r\n`);
      socket.on("data", () => socket.write(`554 5.7.1 ${SECRET} refused\r\n`));
    });
    servers.push(hook, twilioError, twilioOk, smtpServer);
    const checks = [];
    for (const settings of [
      webhook(`http://127.0.0.1:${hook.port}/hook`),
      twilio(`http://127.0.0.1:${twilioError.port}`),
      twilio(`http://127.0.0.1:${twilioOk.port}`),
      smtp("127.0.0.1", smtpServer.port),
    ]) {
      const channel = createChannel(settings, { network: EMULATOR_NETWORK, timeoutMs: 2_000 });
      checks.push({ check: await channel.testConnection(), send: await channel.send(messageFor(settings)) });
      await channel.close();
    }
    expect(checks.map((c) => c.check)).toEqual([
      expect.objectContaining({
        ok: false,
        message: "The endpoint did not accept the test event (HTTP 500 (server error)).",
      }),
      expect.objectContaining({
        ok: false,
        message:
          "The Twilio API did not accept the test (HTTP 400 (bad request), Twilio 21211 (invalid number)).",
      }),
      { ok: true, detail: "Twilio accepted the Account SID and Auth Token (account unknown)." },
      expect.objectContaining({
        ok: false,
        problem: "rejected",
        message: "The SMTP server refused the test (SMTP 554 5.7.1 (not authorised by policy)).",
      }),
    ]);
    // What a send keeps for the message log is classified the same way.
    expect(checks.map((c) => c.send)).toEqual([
      { status: "retry", reason: "HTTP 500 (server error)" },
      { status: "failed", reason: "Twilio 21211 (invalid number)", suppress: "bounced" },
      { status: "sent", providerId: "twilio:unreadable-answer" },
      { status: "failed", reason: "SMTP 554 5.7.1 (not authorised by policy)" },
    ]);
    expect(JSON.stringify(checks)).not.toContain(SECRET);
  });
});

describe.each(databaseModes)("saving channel settings checks where they point ($name)", (mode) => {
  let db: TestDatabase;
  let deps: ChannelConfigDeps;
  const SHOP = "guarded.myshopify.com";
  const form = (fields: Record<string, string>) => {
    const data = new FormData();
    for (const [key, value] of Object.entries(fields)) data.set(key, value);
    return data;
  };
  beforeAll(async () => {
    db = await mode.open();
    deps = { prisma: db.prisma, box: createSecretBox(randomBytes(32)), network: PRODUCTION_NETWORK };
  });
  afterAll(async () => {
    await db.close();
  });

  it("refuses a host that is or resolves to a refused address, and a Twilio proxy in production; stores nothing", async () => {
    const refusals: Array<[Parameters<typeof saveChannelForm>[2], Record<string, string>, string, RegExp]> = [
      [
        "webhook",
        { url: "http://localhost:8080/hook", signingSecret: "0123456789abcdef" },
        "url",
        /loopback/,
      ],
      [
        "webhook",
        { url: "http://[fd00:ec2::254]/latest", signingSecret: "0123456789abcdef" },
        "url",
        /cloud metadata/,
      ],
      [
        "email",
        {
          host: "169.254.169.254",
          port: "25",
          security: "none",
          fromAddress: "a@example.com",
          poolSize: "1",
        },
        "host",
        /cloud metadata/,
      ],
      [
        "email",
        { host: "10.1.2.3", port: "25", security: "none", fromAddress: "a@example.com", poolSize: "1" },
        "host",
        /private/,
      ],
      [
        "sms",
        { accountSid: SID, authToken: "t", fromNumber: "+15551234567", baseUrl: "https://proxy.example.com" },
        "baseUrl",
        /Must be https:\/\/api\.twilio\.com/,
      ],
    ];
    for (const [channel, fields, field, message] of refusals) {
      const saved = await saveChannelForm(deps, SHOP, channel, form({ ...fields, ratePerSecond: "5" }));
      expect(saved).toMatchObject({ ok: false, errors: { [field]: expect.stringMatching(message) } });
    }
    await expect(
      saveChannelSettings(deps, SHOP, "webhook", webhook("http://127.0.0.1/hook")),
    ).rejects.toThrow(/loopback/);
    expect(await db.prisma.channelConfig.count({ where: { shop: SHOP } })).toBe(0);

    // A public host name saves (it does not resolve here: "Test connection" will say so).
    expect(
      await saveChannelForm(
        deps,
        SHOP,
        "webhook",
        form({ url: "https://hooks.example.com/in", signingSecret: "0123456789abcdef", ratePerSecond: "5" }),
      ),
    ).toMatchObject({ ok: true });
    expect(await readChannelSettings(deps, SHOP, "webhook")).toMatchObject({
      url: "https://hooks.example.com/in",
    });
  });

  it("stores the classified result of a test, not the answer", async () => {
    const answer = await countingServer(httpAnswer(403, `{"error":"${SECRET}"}`));
    try {
      const local = { ...deps, network: EMULATOR_NETWORK };
      await saveChannelSettings(local, SHOP, "webhook", webhook(`http://127.0.0.1:${answer.port}/hook`));
      const result = await testChannel(local, SHOP, "webhook");
      expect(result).toMatchObject({ ok: false, problem: "auth", field: "signingSecret" });
      const row = await db.prisma.channelConfig.findFirst({ where: { shop: SHOP, channel: "webhook" } });
      expect(row?.testError).toBe(
        "Signing secret: The endpoint refused the signed test event; check the signing secret (HTTP 403 (forbidden)).",
      );
      // The same stored settings under the production policy: refused at test time, nothing connects.
      const before = answer.connections();
      expect(await testChannel(deps, SHOP, "webhook")).toMatchObject({ ok: false, problem: "destination" });
      expect(answer.connections()).toBe(before);
    } finally {
      await answer.close();
    }
  });
});
