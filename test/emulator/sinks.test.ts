import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createChannel } from "../../app/messaging/channels/create-channel.server";
import { messageIdFor } from "../../app/messaging/channels/smtp.server";
import { verifyTwilioSignature } from "../../app/messaging/channels/twilio-signature";
import type { Channel, OutboundMessage } from "../../app/messaging/channels/types";
import { signWebhookBody } from "../../app/messaging/channels/webhook-signature";
import { startTestEmulator } from "./helpers";
import type { Emulator } from "./index";
import { startSinks } from "./sinks";
import { decodeEncodedWords, mailBody, parseHeaders, splitMessage } from "./sinks/mime";
import { EMULATOR_NETWORK } from "../support/network";

const metadata = {
  shop: "test-shop.myshopify.com",
  campaignId: "bfcm-2026",
  customerId: "gid://shopify/Customer/42",
};
const unsubscribe = "https://app.example/unsubscribe?t=signed-token";

function email(key: string, over: Partial<{ subject: string; to: string }> = {}): OutboundMessage {
  return {
    idempotencyKey: key,
    to: over.to ?? "jane@example.com",
    content: {
      channel: "email",
      subject: over.subject ?? "Black Friday – früh für VIPs",
      html: "<p>Hello <b>Jane</b>, 20% off</p>",
      text: "Hello Jane, 20% off",
      headers: {
        "List-Unsubscribe": `<${unsubscribe}>`,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      },
    },
    metadata,
  };
}
const sms = (key: string, to = "+15551234567"): OutboundMessage => ({
  idempotencyKey: key,
  to,
  content: { channel: "sms", body: "Sale ends at midnight. Reply STOP to opt out." },
  metadata,
});
const hook = (key: string): OutboundMessage => ({
  idempotencyKey: key,
  to: "42",
  content: { channel: "webhook", payload: { segment: "vip", items: [1, 2] } },
  metadata,
});

/** A port on 127.0.0.1 that nothing listens on (fetch refuses "bad ports" such as 1 outright). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === "object" && address !== null ? address.port : 0;
}

let emulator: Emulator;
let mail: Channel;
let twilio: Channel;
let webhook: Channel;

beforeAll(async () => {
  emulator = await startTestEmulator();
  mail = createChannel(emulator.sinks.settings.smtp, { network: EMULATOR_NETWORK, timeoutMs: 2000 });
  twilio = createChannel(emulator.sinks.settings.twilio, { network: EMULATOR_NETWORK, timeoutMs: 2000 });
  webhook = createChannel(emulator.sinks.settings.webhook, { network: EMULATOR_NETWORK, timeoutMs: 2000 });
});
afterAll(async () => {
  await Promise.all([mail.close(), twilio.close(), webhook.close()]);
  await emulator.close();
});
beforeEach(() => emulator.sinks.reset());

describe("SMTP channel and sink", () => {
  it("delivers through the real SMTP server with the unsubscribe headers and the idempotency key", async () => {
    const result = await mail.send(email("bfcm:42:email"));
    expect(result).toMatchObject({ status: "sent", providerId: expect.stringMatching(/^M\d+$/) });
    const [received] = emulator.sinks.mail();
    expect(received).toMatchObject({
      key: "bfcm:42:email",
      count: 1,
      to: ["jane@example.com"],
      envelopeFrom: "shop@sink.emulator.local",
      subject: "Black Friday – früh für VIPs",
      listUnsubscribe: `<${unsubscribe}>`,
      listUnsubscribePost: "List-Unsubscribe=One-Click",
      messageId: messageIdFor("bfcm:42:email", "shop@sink.emulator.local"),
      text: "Hello Jane, 20% off",
      html: "<p>Hello <b>Jane</b>, 20% off</p>",
    });
    expect(received?.headers["x-idempotency-key"]).toBe("bfcm:42:email");
    expect(received?.headers.from).toBe("Emulator Shop <shop@sink.emulator.local>");
  });

  it("counts a re-send under the same key and Message-ID", async () => {
    const before = Date.now();
    await mail.send(email("k-resend"));
    const firstDone = Date.now();
    await mail.send(email("k-resend"));
    await mail.send(email("k-other"));
    expect(emulator.sinks.countFor("smtp", "k-resend")).toBe(2);
    // when the provider first had it, not the re-send
    const firstAt = emulator.sinks.firstAcceptedAt("smtp", "k-resend") ?? 0;
    expect(firstAt).toBeGreaterThanOrEqual(before);
    expect(firstAt).toBeLessThanOrEqual(firstDone);
    expect(emulator.sinks.firstAcceptedAt("smtp", "never-sent")).toBeUndefined();
    expect(emulator.sinks.stats().smtp).toMatchObject({ accepted: 3, uniqueKeys: 2, duplicates: 1 });
    const [other, second, first] = emulator.sinks.mail();
    expect(second?.messageId).toBe(first?.messageId);
    expect(other?.messageId).not.toBe(first?.messageId);
    expect(second?.count).toBe(2);
  });

  it("retries 4xx replies and timeouts, fails 5xx rejections with their codes and class, never the server's words", async () => {
    emulator.sinks.failNext({ channel: "smtp", status: 451, message: "4.7.1 Greylisted, try later" });
    expect(await mail.send(email("k1"))).toEqual({
      status: "retry",
      reason: "SMTP 451 4.7.1 (not authorised by policy)",
    });
    emulator.sinks.failNext({
      channel: "smtp",
      status: 550,
      message: "5.1.1 <jane@example.com> mailbox unavailable",
    });
    expect(await mail.send(email("k1"))).toEqual({
      status: "failed",
      reason: "SMTP 550 5.1.1 (mailbox unavailable)",
    });
    const quick = createChannel(emulator.sinks.settings.smtp, { network: EMULATOR_NETWORK, timeoutMs: 300 });
    emulator.sinks.failNext({ channel: "smtp", timeout: true, hangMs: 1500 });
    expect(await quick.send(email("k1"))).toMatchObject({
      status: "retry",
      reason: "timeout (no answer within 300 ms)",
    });
    await quick.close();
    expect(await mail.send(email("k1"))).toMatchObject({ status: "sent" });
    expect(emulator.sinks.countFor("smtp", "k1")).toBe(1);
    expect(emulator.sinks.stats().smtp.rejected).toBe(2);
  });

  it("a recipient the server does not know is a hard bounce to suppress; a 5xx to DATA is not", async () => {
    expect(await mail.send(email("k-bounce", { to: "bounce-7@example.com" }))).toEqual({
      status: "failed",
      reason: "SMTP 550 5.1.1 (mailbox unavailable)",
      suppress: "bounced",
    });
    emulator.sinks.failNext({ channel: "smtp", status: 554, message: "5.7.1 Message rejected as spam" });
    expect(await mail.send(email("k-spam"))).toEqual({
      status: "failed",
      reason: "SMTP 554 5.7.1 (not authorised by policy)",
    });
    expect(emulator.sinks.stats().smtp).toMatchObject({ accepted: 0, rejected: 2 });
  });

  it("puts the idempotency key in the Message-ID when it fits one, so ESP reports can name it", () => {
    expect(messageIdFor("m_0123abcd", "shop@example.com")).toBe("<m_0123abcd@example.com>");
    expect(messageIdFor("camp-1.email.7", "shop@example.com")).toBe("<camp-1.email.7@example.com>");
    expect(messageIdFor("bfcm:42:email", "shop@example.com")).toMatch(/^<[0-9a-f]{40}@example\.com>$/);
  });

  it("refuses a recipient list and caller headers that would contradict its own", async () => {
    expect(await mail.send(email("k2", { to: "a@example.com, b@example.com" }))).toEqual({
      status: "failed",
      reason: "the recipient is not one email address",
    });
    const message = email("k2");
    if (message.content.channel === "email") message.content.headers = { "Message-ID": "<x@y>" };
    expect(await mail.send(message)).toEqual({
      status: "failed",
      reason: "header Message-ID is set by the channel",
    });
  });

  it("test connection names a closed port and a refused login", async () => {
    const port = await closedPort();
    const closed = createChannel(
      { ...emulator.sinks.settings.smtp, port },
      { network: EMULATOR_NETWORK, timeoutMs: 2000 },
    );
    const check = await closed.testConnection();
    expect(check).toMatchObject({ ok: false, problem: "refused", field: "port" });
    expect(check.ok ? "" : check.message).toContain(`127.0.0.1:${port}`);
    expect(await closed.send(email("k3"))).toMatchObject({
      status: "retry",
      reason: "connection refused (ECONNREFUSED)",
    });
    await closed.close();

    expect(await mail.testConnection()).toMatchObject({ ok: true });
    const guarded = await startSinks({ smtpAuth: { user: "relay", password: "right" } });
    const wrong = createChannel(
      { ...guarded.settings.smtp, password: "wrong" },
      { network: EMULATOR_NETWORK, timeoutMs: 2000 },
    );
    expect(await wrong.testConnection()).toMatchObject({
      ok: false,
      problem: "auth",
      field: "password",
      message: "The SMTP server refused the login (SMTP 535 5.7.8 (authentication failed)).",
    });
    const right = createChannel(guarded.settings.smtp, { network: EMULATOR_NETWORK, timeoutMs: 2000 });
    expect(await right.testConnection()).toMatchObject({ ok: true });
    expect(await right.send(email("k4"))).toMatchObject({ status: "sent" });
    await Promise.all([wrong.close(), right.close()]);
    await guarded.close();
  });
});

describe("Twilio channel and sink", () => {
  it("sends, and answers a repeated idempotency token with the same sid", async () => {
    const first = await twilio.send(sms("bfcm:42:sms"));
    expect(first).toMatchObject({ status: "sent", providerId: expect.stringMatching(/^SM[0-9a-f]{32}$/) });
    expect(await twilio.send(sms("bfcm:42:sms"))).toEqual(first);
    expect(emulator.sinks.countFor("twilio", "bfcm:42:sms")).toBe(2);
    const [replay, original] = emulator.sinks.sms();
    expect(original).toMatchObject({ to: "+15551234567", from: "+15005550006", replay: false, segments: 1 });
    expect(replay).toMatchObject({ replay: true, count: 2 });
  });

  it("test connection fails on wrong credentials with Twilio's 20003", async () => {
    expect(await twilio.testConnection()).toMatchObject({ ok: true });
    const wrong = createChannel(
      { ...emulator.sinks.settings.twilio, authToken: "not-the-token" },
      { network: EMULATOR_NETWORK },
    );
    const check = await wrong.testConnection();
    expect(check).toMatchObject({ ok: false, problem: "auth", field: "authToken" });
    // Classified, never quoted: the status and Twilio's numeric code, not the answer's words.
    expect(check.ok ? "" : check.message).toBe(
      "Twilio refused the Account SID or Auth Token (HTTP 401 (unauthorized), Twilio 20003 (authentication failed)).",
    );
    expect(await wrong.send(sms("k5"))).toEqual({
      status: "failed",
      reason: "Twilio 20003 (authentication failed)",
    });
  });

  it("retries 429 honouring Retry-After and 5xx; fails 400 with Twilio's code and its class, never its message", async () => {
    emulator.sinks.failNext({ channel: "twilio", status: 429, retryAfterSeconds: 2 });
    expect(await twilio.send(sms("k6"))).toEqual({
      status: "retry",
      reason: "Twilio 20429 (too many requests)",
      retryAfterMs: 2000,
    });
    emulator.sinks.failNext({ channel: "twilio", status: 503 });
    expect(await twilio.send(sms("k6"))).toMatchObject({ status: "retry" });
    expect(await twilio.send(sms("k7", "+15005550001"))).toEqual({
      status: "failed",
      reason: "Twilio 21211 (invalid number)",
      suppress: "bounced",
    });
    expect(await twilio.send(sms("k8", "555-1234"))).toMatchObject({ status: "failed" });
    expect(await twilio.send(sms("k6"))).toMatchObject({ status: "sent" });
    expect(emulator.sinks.stats().twilio).toMatchObject({ accepted: 1, rejected: 3 });
  });

  it("marks the refusals that name the number for suppression: STOP, invalid, not a mobile", async () => {
    expect(await twilio.send(sms("k10", "+15005550004"))).toMatchObject({
      status: "failed",
      reason: "Twilio 21610 (recipient replied STOP)",
      suppress: "unsubscribed",
    });
    expect(await twilio.send(sms("k11", "+15005550009"))).toMatchObject({ suppress: "bounced" });
    const unreachable = await twilio.send(sms("k12", "+15005550002"));
    expect(unreachable).toMatchObject({ status: "failed" });
    expect(unreachable).not.toHaveProperty("suppress");
  });

  it("reports every message to its StatusCallback, delivered or +1500555EEEEE's error, signed as Twilio signs", async () => {
    const received: Array<{ url: string; form: Array<[string, string]>; signature: string | undefined }> = [];
    const receiver = createHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const signature = req.headers["x-twilio-signature"];
        received.push({
          url: `http://127.0.0.1:${port}${req.url ?? ""}`,
          form: [...new URLSearchParams(Buffer.concat(chunks).toString("utf8"))],
          signature: typeof signature === "string" ? signature : undefined,
        });
        res.writeHead(200).end("OK");
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const address = receiver.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    const reporting = createChannel(emulator.sinks.settings.twilio, {
      network: EMULATOR_NETWORK,
      timeoutMs: 2000,
      statusCallbackUrl: (m) => `http://127.0.0.1:${port}/status?message=${m.idempotencyKey}`,
    });
    try {
      expect(await reporting.send(sms("k13", "+150055530005"))).toMatchObject({ status: "sent" });
      expect(await reporting.send(sms("k14", "+150055521610"))).toMatchObject({ status: "sent" });
      expect(await reporting.send(sms("k15"))).toMatchObject({ status: "sent" });
      await emulator.sinks.statusCallbacksSettled();
    } finally {
      await reporting.close();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
    // each message's reports in order; messages' reports may interleave
    const reports = received.map((r) => ({
      url: r.url,
      status: new Map(r.form).get("MessageStatus"),
      code: new Map(r.form).get("ErrorCode"),
    }));
    reports.sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
    expect(reports).toEqual([
      { url: `http://127.0.0.1:${port}/status?message=k13`, status: "sent", code: undefined },
      { url: `http://127.0.0.1:${port}/status?message=k13`, status: "undelivered", code: "30005" },
      { url: `http://127.0.0.1:${port}/status?message=k14`, status: "failed", code: "21610" },
      { url: `http://127.0.0.1:${port}/status?message=k15`, status: "sent", code: undefined },
      { url: `http://127.0.0.1:${port}/status?message=k15`, status: "delivered", code: undefined },
    ]);
    const { authToken } = emulator.sinks.settings.twilio;
    for (const r of received)
      expect(
        verifyTwilioSignature({ authToken, urls: [r.url], params: r.form, signature: r.signature }),
      ).toBe(true);
    expect(emulator.sinks.statusCallbacks().map((c) => c.answer)).toEqual([200, 200, 200, 200, 200]);
  });

  it("delivers a customer's text to a URL as Twilio's incoming-message webhook, signed", async () => {
    const received: Array<{ url: string; form: Array<[string, string]>; signature: string | undefined }> = [];
    const receiver = createHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const signature = req.headers["x-twilio-signature"];
        received.push({
          url: `http://127.0.0.1:${port}${req.url ?? ""}`,
          form: [...new URLSearchParams(Buffer.concat(chunks).toString("utf8"))],
          signature: typeof signature === "string" ? signature : undefined,
        });
        res.writeHead(200, { "Content-Type": "text/xml" }).end("<Response/>");
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const address = receiver.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    const url = `http://127.0.0.1:${port}/inbound?shop=a.myshopify.com`;
    try {
      const answer = await emulator.sinks.inboundSms({ url, from: "+15551230001", body: "Stop & go" });
      expect(answer).toMatchObject({ status: 200, contentType: "text/xml", text: "<Response/>" });
      await emulator.sinks.inboundSms({ url, from: "+15551230001", body: "x", signWith: "another-token" });
    } finally {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
    const [genuine, forged] = received;
    const fields = new Map(genuine?.form);
    expect(fields.get("From")).toBe("+15551230001");
    expect(fields.get("To")).toBe(emulator.sinks.twilio.fromNumber);
    expect(fields.get("Body")).toBe("Stop & go");
    expect(fields.get("MessageSid")).toMatch(/^SM[0-9a-f]{32}$/);
    const { authToken } = emulator.sinks.settings.twilio;
    const verify = (r: (typeof received)[number] | undefined) =>
      verifyTwilioSignature({
        authToken,
        urls: [r?.url ?? ""],
        params: r?.form ?? [],
        signature: r?.signature,
      });
    expect(verify(genuine)).toBe(true);
    expect(verify(forged)).toBe(false);
  });

  it("a provider that accepted but never answered gets the same key again, and is counted", async () => {
    const quick = createChannel(emulator.sinks.settings.twilio, {
      network: EMULATOR_NETWORK,
      timeoutMs: 300,
    });
    emulator.sinks.failNext({ channel: "twilio", timeout: true, afterAccept: true, hangMs: 1500 });
    expect(await quick.send(sms("k9"))).toMatchObject({
      status: "retry",
      reason: expect.stringMatching(/^timeout/),
    });
    expect(await quick.send(sms("k9"))).toMatchObject({ status: "sent" });
    expect(emulator.sinks.countFor("twilio", "k9")).toBe(2);
    expect(emulator.sinks.stats().twilio).toMatchObject({ uniqueKeys: 1, duplicates: 1 });
    await quick.close();
  });
});

describe("webhook channel and receiver", () => {
  it("posts a signed envelope the receiver verifies", async () => {
    expect(await webhook.send(hook("bfcm:42:webhook"))).toMatchObject({
      status: "sent",
      providerId: expect.stringMatching(/^wh_\d+$/),
    });
    const [received] = emulator.sinks.webhooks();
    expect(received?.key).toBe("bfcm:42:webhook");
    expect(JSON.parse(received?.body ?? "")).toEqual({
      type: "message",
      idempotencyKey: "bfcm:42:webhook",
      to: "42",
      ...metadata,
      payload: { segment: "vip", items: [1, 2] },
    });
    expect(await webhook.testConnection()).toMatchObject({ ok: true });
    expect(emulator.sinks.snapshot().webhook.pings).toBe(1);
  });

  it("the receiver refuses a tampered body and a wrong secret", async () => {
    const body = JSON.stringify({ type: "message", idempotencyKey: "k10", payload: { amount: 1 } });
    const ts = Math.floor(Date.now() / 1000);
    const signature = signWebhookBody(emulator.sinks.webhook.signingSecret, ts, body);
    const post = (text: string) =>
      fetch(emulator.sinks.webhook.url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "Idempotency-Key": "k10",
          "X-Holiday-Timestamp": String(ts),
          "X-Holiday-Signature": signature,
        },
        body: text,
      });
    expect((await post(body)).status).toBe(200);
    const tampered = await post(body.replace('"amount":1', '"amount":1000'));
    expect(tampered.status).toBe(401);
    expect(await tampered.json()).toEqual({ error: "signature mismatch" });

    const wrong = createChannel(
      {
        ...emulator.sinks.settings.webhook,
        signingSecret: "another-secret-0123456789",
      },
      { network: EMULATOR_NETWORK },
    );
    expect(await wrong.send(hook("k11"))).toEqual({
      status: "failed",
      reason: "HTTP 401 (unauthorized)",
    });
    expect(await wrong.testConnection()).toMatchObject({
      ok: false,
      problem: "auth",
      field: "signingSecret",
    });
    expect(emulator.sinks.countFor("webhook", "k11")).toBe(0);
  });

  it("retries 429 with Retry-After and 500, fails other 4xx", async () => {
    emulator.sinks.failNext({ channel: "webhook", status: 429, retryAfterSeconds: 1 });
    emulator.sinks.failNext({ channel: "webhook", status: 500 });
    emulator.sinks.failNext({
      channel: "webhook",
      status: 422,
      message: "customer 42 unknown to jane@example.com",
    });
    expect(await webhook.send(hook("k12"))).toEqual({
      status: "retry",
      reason: "HTTP 429 (too many requests)",
      retryAfterMs: 1000,
    });
    expect(await webhook.send(hook("k12"))).toMatchObject({ status: "retry" });
    expect(await webhook.send(hook("k12"))).toEqual({
      status: "failed",
      reason: "HTTP 422 (unprocessable)", // the endpoint's body is never kept or shown
    });
    expect(await webhook.send(hook("k12"))).toMatchObject({ status: "sent" });
  });

  it("names an unreachable endpoint", async () => {
    const port = await closedPort();
    const gone = createChannel(
      { ...emulator.sinks.settings.webhook, url: `http://127.0.0.1:${port}/hook` },
      { network: EMULATOR_NETWORK, timeoutMs: 2000 },
    );
    expect(await gone.testConnection()).toMatchObject({
      ok: false,
      problem: "refused",
      field: "url",
      message: expect.stringContaining(`127.0.0.1:${port}`),
    });
    expect(await gone.send(hook("k13"))).toMatchObject({
      status: "retry",
      reason: expect.stringContaining("ECONNREFUSED"),
    });
  });
});

describe("outbox viewer", () => {
  it("lists what each sink received, escaped, as HTML and JSON", async () => {
    await mail.send(email("k14", { subject: "<script>alert(1)</script> Deals" }));
    await twilio.send(sms("k15"));
    await webhook.send(hook("k16"));
    const html = await (await fetch(`${emulator.url}/sinks`)).text();
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; Deals");
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toContain("Sale ends at midnight");
    expect(html).toContain("k16");
    const json: unknown = await (await fetch(`${emulator.sinks.viewerUrl}.json?limit=5`)).json();
    expect(json).toMatchObject({
      smtp: { stats: { accepted: 1 } },
      twilio: { stats: { accepted: 1 } },
      webhook: { stats: { accepted: 1 } },
    });
  });
});

// The dispatch target is 1,000 messages/s to the sinks. Channels and sinks share this process
// (and the machine other test files): about 2,000/s alone, so the floor here only catches a
// pathology; `npx tsx test/emulator/sinks/bench.ts` measures properly.
describe("throughput", () => {
  it("sends thousands of messages through the three channels concurrently", { timeout: 60_000 }, async () => {
    const perChannel = 1500;
    // default timeouts: on a busy machine one message can take seconds of wall time
    const [m, t, w] = [
      emulator.sinks.settings.smtp,
      emulator.sinks.settings.twilio,
      emulator.sinks.settings.webhook,
    ].map((settings) => createChannel(settings, { network: EMULATOR_NETWORK }));
    if (!m || !t || !w) throw new Error("three channels");
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: perChannel }, (_, i) => [
        m.send(email(`t:${i}:e`)),
        t.send(sms(`t:${i}:s`)),
        w.send(hook(`t:${i}:w`)),
      ]).flat(),
    );
    const seconds = (performance.now() - started) / 1000;
    await Promise.all([m.close(), t.close(), w.close()]);
    expect(results.filter((r) => r.status !== "sent").slice(0, 3)).toEqual([]);
    const stats = emulator.sinks.stats();
    expect([stats.smtp.uniqueKeys, stats.twilio.uniqueKeys, stats.webhook.uniqueKeys]).toEqual([
      perChannel,
      perChannel,
      perChannel,
    ]);
    const rate = Math.round(results.length / seconds);
    process.stderr.write(
      `sinks throughput: ${results.length} messages in ${seconds.toFixed(2)} s = ${rate}/s\n`,
    );
    expect(rate).toBeGreaterThan(300);
  });
});

describe("sink MIME reading", () => {
  it("decodes base64 parts, encoded-word subjects and single-part mail", () => {
    const raw = [
      "Subject: =?UTF-8?B?44K744O844Or?= =?UTF-8?Q?_=E2=80=93_50=25?=",
      'Content-Type: multipart/alternative; boundary="b1"',
      "",
      "--b1",
      "Content-Type: text/plain; charset=utf-8",
      "Content-Transfer-Encoding: base64",
      "",
      Buffer.from("セール中です").toString("base64"),
      "--b1",
      "Content-Type: text/html; charset=utf-8",
      "Content-Transfer-Encoding: quoted-printable",
      "",
      "<p>a very long line that nodemailer would wrap with a soft=",
      " break</p>",
      "--b1--",
      "",
    ].join("\r\n");
    const { headerText, body } = splitMessage(raw);
    const headers = parseHeaders(headerText);
    expect(decodeEncodedWords(headers.get("subject") ?? "")).toBe("セール – 50%");
    expect(mailBody(headers, body)).toEqual({
      text: "セール中です",
      html: "<p>a very long line that nodemailer would wrap with a soft break</p>",
    });
    const single = splitMessage("Subject: plain\r\nContent-Type: text/plain\r\n\r\nJust text\r\n");
    expect(mailBody(parseHeaders(single.headerText), single.body)).toEqual({ text: "Just text\r\n" });
  });
});
