import { randomBytes } from "node:crypto";
import { createServer as createHttpServer, type Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createSecretBox } from "~/messaging/channels/secret-box.server";
import type { ChannelSettings } from "~/messaging/channels/settings";
import {
  channelReadiness,
  listChannels,
  readChannelSettings,
  saveChannelForm,
  saveChannelSettings,
  sealContext,
  testChannel,
  type ChannelConfigDeps,
} from "~/messaging/channel-config/channel-config.server";
import { initialValues } from "~/messaging/channel-config/form";
import { applyLocalSinks, fetchLocalSinkSettings } from "~/messaging/channel-config/local-sinks.server";
import { channelSettingsAction } from "~/ui/channels/settings-action.server";
import { freePort, startDemo, type Demo } from "../../scripts/demo/start-demo";
import { BROWSER, fetchWithSessionToken } from "../../scripts/demo/admin-request";
import { startTestEmulator } from "../emulator/helpers";
import type { Emulator } from "../emulator/index";
import { databaseModes, type TestDatabase } from "./helpers/db";
import { EMULATOR_NETWORK } from "../support/network";

const SHOP = "channels-test.myshopify.com";
const OTHER = "other-channels.myshopify.com";
const PASSWORD = "smtp-pass-Zq81x";
const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
};
const smtpOn = (port: number, password = PASSWORD): ChannelSettings => ({
  kind: "smtp",
  host: "127.0.0.1",
  port,
  security: "none",
  user: "shop-user",
  password,
  fromAddress: "shop@example.com",
  poolSize: 2,
});

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => {
  await emulator.close();
});

describe.each(databaseModes)("channel settings ($name)", (mode) => {
  let db: TestDatabase;
  let deps: ChannelConfigDeps;
  const box = createSecretBox(randomBytes(32));
  const sinks = () => emulator.sinks.settings;

  beforeAll(async () => {
    db = await mode.open();
    deps = { prisma: db.prisma, box, network: EMULATOR_NETWORK };
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(async () => {
    await db.prisma.channelConfig.deleteMany({});
  });

  it("seals the settings for shop and channel and shows secrets only as set", async () => {
    expect(await saveChannelSettings(deps, SHOP, "email", smtpOn(2525), 12)).toEqual({ changed: true });
    const row = await db.prisma.channelConfig.findUniqueOrThrow({
      where: { shop_channel: { shop: SHOP, channel: "email" } },
    });
    expect(row.sealed).not.toContain(PASSWORD);
    expect(row.sealed).not.toContain("shop-user");
    expect(JSON.parse(box.decrypt(row.sealed, `${SHOP}:email`))).toMatchObject({ password: PASSWORD });
    expect(() => box.decrypt(row.sealed, `${OTHER}:email`)).toThrow();
    expect(row).toMatchObject({ ratePerSecond: 12, testOk: false, testedAt: null });

    const [email, sms] = await listChannels(deps, SHOP);
    expect(email).toMatchObject({
      configured: true,
      ratePerSecond: 12,
      settings: { password: "set", user: "shop-user" },
    });
    expect(sms).toMatchObject({ channel: "sms", configured: false, settings: null });
    expect(JSON.stringify(await listChannels(deps, SHOP))).not.toContain(PASSWORD);
  });

  it("keeps the stored secret when the form leaves it blank, and says what is wrong", async () => {
    await saveChannelSettings(deps, SHOP, "email", smtpOn(2525));
    const [view] = await listChannels(deps, SHOP);
    const shown = initialValues("email", view?.settings ?? null, view?.ratePerSecond ?? null);
    expect(shown.password).toBe("");

    expect(await saveChannelForm(deps, SHOP, "email", form({ ...shown, port: "2626" }))).toEqual({
      ok: true,
      channel: "email",
      changed: true,
    });
    expect(await readChannelSettings(deps, SHOP, "email")).toMatchObject({ port: 2626, password: PASSWORD });

    const bad = await saveChannelForm(
      deps,
      SHOP,
      "email",
      form({ ...shown, host: "", password: "typed-new", ratePerSecond: "0" }),
    );
    expect(bad).toMatchObject({
      ok: false,
      errors: { host: "Required", ratePerSecond: expect.stringMatching(/1 to 1000/) },
    });
    expect(JSON.stringify(bad)).not.toContain("typed-new");
    expect(await readChannelSettings(deps, SHOP, "email")).toMatchObject({ port: 2626, password: PASSWORD });
  });

  it("tests against the local sinks: ready, and a rate-only save keeps it ready", async () => {
    await saveChannelSettings(deps, SHOP, "email", sinks().smtp);
    await saveChannelSettings(deps, SHOP, "sms", sinks().twilio);
    await saveChannelSettings(deps, SHOP, "webhook", sinks().webhook);
    for (const channel of ["email", "sms", "webhook"] as const) {
      expect(await testChannel(deps, SHOP, channel)).toMatchObject({ ok: true, channel });
    }
    const ready = await channelReadiness(db.prisma, SHOP, box);
    expect(ready.email).toMatchObject({ configured: true, testOk: true, testError: null });
    expect(ready.sms.testedAt).toBeInstanceOf(Date);

    expect(await saveChannelSettings(deps, SHOP, "sms", sinks().twilio, 3)).toEqual({ changed: false });
    expect((await channelReadiness(db.prisma, SHOP, box)).sms).toMatchObject({ testOk: true });
    await saveChannelSettings(deps, SHOP, "sms", { ...sinks().twilio, fromNumber: "+15005550007" });
    expect((await channelReadiness(db.prisma, SHOP, box)).sms).toMatchObject({
      testOk: false,
      testedAt: null,
    });
  });

  it("names the field when the test fails: a closed port, a wrong Twilio token", async () => {
    await saveChannelSettings(deps, SHOP, "email", smtpOn(await freePort()));
    const refused = await testChannel(deps, SHOP, "email", { timeoutMs: 5_000 });
    expect(refused).toMatchObject({ ok: false, problem: "refused", field: "port" });
    expect((await channelReadiness(db.prisma, SHOP, box)).email).toMatchObject({
      configured: true,
      testOk: false,
      testError: expect.stringMatching(/^Port: Nothing accepts connections/),
    });

    await saveChannelSettings(deps, SHOP, "sms", { ...sinks().twilio, authToken: "not-the-token" });
    expect(await testChannel(deps, SHOP, "sms")).toMatchObject({
      ok: false,
      problem: "auth",
      field: "authToken",
    });
    const [, sms] = await listChannels(deps, SHOP);
    expect(sms).toMatchObject({
      testOk: false,
      testError: expect.stringMatching(/^Auth token: Twilio refused/),
    });
    expect(JSON.stringify(sms)).not.toContain("not-the-token");
  });

  it("keeps shops apart: another shop neither reads nor overwrites, and a copied row does not open", async () => {
    await saveChannelSettings(deps, SHOP, "webhook", sinks().webhook);
    expect((await listChannels(deps, OTHER)).every((c) => !c.configured)).toBe(true);
    expect(await readChannelSettings(deps, OTHER, "webhook")).toBeUndefined();
    expect(await testChannel(deps, OTHER, "webhook")).toMatchObject({
      ok: false,
      message: "Save the settings first.",
    });

    await saveChannelSettings(deps, OTHER, "webhook", {
      ...sinks().webhook,
      url: "https://other.example.com/hook",
    });
    expect(await readChannelSettings(deps, SHOP, "webhook")).toEqual(sinks().webhook);

    const mine = await db.prisma.channelConfig.findUniqueOrThrow({
      where: { shop_channel: { shop: SHOP, channel: "webhook" } },
    });
    await db.prisma.channelConfig.update({
      where: { shop_channel: { shop: OTHER, channel: "webhook" } },
      data: { sealed: mine.sealed, testOk: true },
    });
    const [, , copied] = await listChannels(deps, OTHER);
    expect(copied).toMatchObject({
      configured: true,
      settings: null,
      testOk: false,
      unreadable: expect.stringMatching(/cannot be opened/),
    });
    expect((await channelReadiness(db.prisma, OTHER, box)).webhook).toMatchObject({ testOk: false });
  });

  it("does not store a test result for settings saved while it ran", async () => {
    let release: (() => void) | undefined;
    const slow: Server = createHttpServer((_req, res) => {
      release = () => res.end("ok");
    });
    await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
    const address = slow.address();
    const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/hook`;
    try {
      await saveChannelSettings(deps, SHOP, "webhook", {
        kind: "webhook",
        url,
        signingSecret: "0123456789abcdef",
      });
      const running = testChannel(deps, SHOP, "webhook");
      await expect.poll(() => release !== undefined).toBe(true);
      await saveChannelSettings(deps, SHOP, "webhook", {
        kind: "webhook",
        url,
        signingSecret: "fedcba9876543210",
      });
      release?.();
      expect(await running).toMatchObject({
        ok: false,
        message: expect.stringMatching(/changed during the test/),
      });
      expect((await channelReadiness(db.prisma, SHOP, box)).webhook).toMatchObject({
        testOk: false,
        testedAt: null,
      });
    } finally {
      slow.closeAllConnections();
      await new Promise((resolve) => slow.close(resolve));
    }
  });

  it("reads numbers typed into the form as digits only: 0x1, 1e1 and ' 25' are refused by field, nothing changes", async () => {
    await saveChannelSettings(deps, SHOP, "email", smtpOn(2525), 12);
    const [view] = await listChannels(deps, SHOP);
    const shown = initialValues("email", view?.settings ?? null, view?.ratePerSecond ?? null);
    const save = (numbers: Record<string, string>) =>
      channelSettingsAction(deps, SHOP, form({ ...shown, ...numbers, intent: "save", channel: "email" }));
    const sealedBefore = (await db.prisma.channelConfig.findFirstOrThrow({ where: { shop: SHOP } })).sealed;

    for (const typed of ["0x1", "1e1", " 25"]) {
      expect(await save({ port: typed, poolSize: typed, ratePerSecond: typed }), typed).toEqual({
        intent: "save",
        ok: false,
        channel: "email",
        errors: {
          port: "Enter a whole number in digits only, like 587",
          poolSize: "Enter a whole number in digits only, like 5",
          ratePerSecond: "Enter a whole number in digits only, like 50",
        },
        values: expect.objectContaining({ port: typed, poolSize: typed, ratePerSecond: typed }),
      });
    }
    const row = await db.prisma.channelConfig.findFirstOrThrow({ where: { shop: SHOP } });
    expect([row.sealed, row.ratePerSecond]).toEqual([sealedBefore, 12]);
    expect(await readChannelSettings(deps, SHOP, "email")).toMatchObject({ port: 2525, poolSize: 2 });

    expect(await save({ port: "25", poolSize: "3", ratePerSecond: "20" })).toMatchObject({ ok: true });
    expect(await readChannelSettings(deps, SHOP, "email")).toMatchObject({ port: 25, poolSize: 3 });
    expect((await db.prisma.channelConfig.findFirstOrThrow({ where: { shop: SHOP } })).ratePerSecond).toBe(
      20,
    );
  });

  it("stored settings are checked when read: a port stored as text is not taken", async () => {
    await saveChannelSettings(deps, SHOP, "email", smtpOn(2525));
    const stored = { ...smtpOn(2525), port: "0x19" };
    await db.prisma.channelConfig.updateMany({
      where: { shop: SHOP, channel: "email" },
      data: { sealed: box.encrypt(JSON.stringify(stored), sealContext(SHOP, "email")) },
    });
    expect(await readChannelSettings(deps, SHOP, "email")).toBeUndefined();
    const [view] = await listChannels(deps, SHOP);
    expect(view).toMatchObject({
      channel: "email",
      settings: null,
      unreadable: "The stored settings are no longer valid: enter them again.",
    });
  });

  it("fills every channel from the emulator's sinks and tests them", async () => {
    expect(await fetchLocalSinkSettings(emulator.url)).toEqual({
      email: sinks().smtp,
      sms: sinks().twilio,
      webhook: sinks().webhook,
    });
    const result = await applyLocalSinks(deps, SHOP, emulator.url);
    expect(result).toMatchObject({ ok: true, results: [{ ok: true }, { ok: true }, { ok: true }] });
    expect(Object.values(await channelReadiness(db.prisma, SHOP, box)).every((r) => r.testOk)).toBe(true);
    expect(await applyLocalSinks(deps, SHOP, `http://127.0.0.1:${await freePort()}`)).toMatchObject({
      ok: false,
    });
  });
});

// The route the Settings page's fetchers call, through the running app with App Bridge's
// session token; single-fetch `.data` bodies are checked as text (turbo-stream).
describe("the Channels route in the running app", () => {
  const DEMO_SHOP = "channels-route.myshopify.com";
  const SECRET = "route-signing-secret-5d1e";
  let demo: Demo;
  let dataDir: string;
  const dataUrl = () => `${demo.appUrl}/app/settings/channels.data?_routes=routes%2Fapp.settings_.channels`;
  const post = (fields: Record<string, string>) =>
    fetchWithSessionToken(`${demo.appUrl}/app/settings/channels.data`, demo.emulator, DEMO_SHOP, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "channels-"));
    demo = await startDemo({
      apiKey: "channels-key",
      apiSecret: "channels-secret",
      shop: DEMO_SHOP,
      customers: 10,
      seed: 3,
      dataDir,
      install: true,
    });
  });
  afterAll(async () => {
    await demo?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers only with a session token, saves, tests with the local sinks, and never sends a secret back", async () => {
    // an ordinary browser's request without App Bridge's token (Node's own user agent gets 410 as a bot)
    const anonymous = await fetch(dataUrl(), { headers: BROWSER });
    expect(anonymous.status).not.toBe(200);
    expect(await anonymous.text()).not.toContain("localSinks");

    const saved = await post({
      intent: "save",
      channel: "webhook",
      url: "https://hooks.example.com/in",
      signingSecret: SECRET,
      ratePerSecond: "5",
    });
    expect(saved.status).toBe(200);
    expect(decodeSingleFetch(await saved.text())).toEqual({
      data: { intent: "save", ok: true, channel: "webhook", changed: true },
    });
    const afterSave = await read();
    expect(afterSave.text).not.toContain(SECRET);
    expect(afterSave.channels.webhook).toMatchObject({
      configured: true,
      testOk: false,
      ratePerSecond: 5,
      settings: { signingSecret: "set" },
    });

    const refused = await post({
      intent: "save",
      channel: "sms",
      accountSid: "nope",
      authToken: "typed-token-77",
      ratePerSecond: "5",
    });
    const refusedText = await refused.text();
    expect(refusedText).not.toContain("typed-token-77");
    expect(decodeSingleFetch(refusedText)).toMatchObject({
      data: { ok: false, errors: { accountSid: expect.any(String), fromNumber: expect.any(String) } },
    });

    const sinks = await post({ intent: "use-local-sinks" });
    expect(decodeSingleFetch(await sinks.text())).toMatchObject({
      data: { ok: true, results: [{ ok: true }, { ok: true }, { ok: true }] },
    });
    const ready = await read();
    expect(Object.values(ready.channels).map((c) => [c.configured, c.testOk])).toEqual([
      [true, true],
      [true, true],
      [true, true],
    ]);
    expect(ready.text).not.toContain(demo.emulator.sinks.settings.twilio.authToken);
    expect(ready.text).not.toContain(demo.emulator.sinks.settings.webhook.signingSecret);

    expect((await post({ intent: "test", channel: "fax" })).status).toBe(400);
  });

  const read = async () => {
    const response = await fetchWithSessionToken(dataUrl(), demo.emulator, DEMO_SHOP);
    expect(response.status).toBe(200);
    const text = await response.text();
    const route = z
      .object({ "routes/app.settings_.channels": z.object({ data: z.object({ channels: z.array(View) }) }) })
      .parse(decodeSingleFetch(text));
    const channels = Object.fromEntries(
      route["routes/app.settings_.channels"].data.channels.map((c) => [c.channel, c]),
    );
    return { text, channels };
  };
});

const View = z.object({
  channel: z.string(),
  configured: z.boolean(),
  testOk: z.boolean(),
  ratePerSecond: z.number().nullable(),
  settings: z.record(z.unknown()).nullable(),
});

/** Plain objects, arrays and primitives of a single-fetch (turbo-stream) body: enough for these answers. */
function decodeSingleFetch(text: string): unknown {
  const values: unknown = JSON.parse(text);
  if (!Array.isArray(values)) throw new Error("not a turbo-stream body");
  const at = (index: unknown): unknown => {
    if (typeof index !== "number") throw new Error("not an index");
    if (index === -5) return null;
    if (index === -7) return undefined;
    const value: unknown = values[index];
    if (Array.isArray(value)) return value.map(at);
    if (typeof value === "object" && value !== null)
      return Object.fromEntries(
        Object.entries(value).map(([key, ref]) => [String(values[Number(key.slice(1))]), at(ref)]),
      );
    return value;
  };
  return at(0);
}
