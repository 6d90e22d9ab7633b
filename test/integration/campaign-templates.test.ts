import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CampaignDeps } from "~/campaigns/lifecycle/deps";
import { editCampaign } from "~/campaigns/lifecycle/edit-campaign.server";
import { getCampaign } from "~/campaigns/lifecycle/read-campaign.server";
import {
  channelReadiness,
  saveChannelSettings,
  testChannel,
  type ChannelConfigDeps,
} from "~/messaging/channel-config/channel-config.server";
import { createSecretBox } from "~/messaging/channels/secret-box.server";
import { createMemoryCoordination } from "~/messaging/dispatch/coordination";
import { seedCampaign, seedCustomers, seedOutbox } from "../support/outbox-factory";
import { createDispatcher, type Dispatcher } from "~/messaging/dispatch/worker.server";
import { campaignSource } from "~/campaigns/lifecycle/campaign-source.server";
import { DEFAULT_TEMPLATES } from "~/campaigns/playbooks/default-templates";
import { TEST_UNSUBSCRIBE_URL } from "~/messaging/test-send/test-message";
import { TestSendLimit } from "~/messaging/test-send/test-send-limit";
import { campaignAction, type CampaignActionEnv } from "~/ui/campaigns/campaign-action.server";
import { loadCampaignDetail } from "~/ui/campaigns/campaign-detail.server";
import { PREVIEWS_PER_MINUTE } from "~/ui/campaigns/message-preview.server";
import { createDbJobQueue } from "~/jobs/db-queue.server";
import type { JobQueue } from "~/jobs/queue";
import { startSinks, type Sinks } from "../emulator/sinks";
import { databaseModes, type TestDatabase } from "./helpers/db";
import { EMULATOR_NETWORK } from "../support/network";

// Templates a merchant saves per campaign, end to end: saved through the campaign page's action
// (editCampaign underneath), read back by the dispatcher and sent to the real local sinks (an SMTP
// server, a Twilio-compatible API); and "Send test", which reaches the same sinks without a trace
// in the outbox.

const SHOP = "templates-test.myshopify.com";
const BARE = "no-channels.myshopify.com";
const LONG = "long-name.myshopify.com";
const APP_URL = "https://app.example.com";

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
};
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const customEmail = {
  subject: "Our own {{ event.name }} note",
  html: '<p>Made by us for {{ customer.email | default: "you" }}</p>\n<a href="{{ unsubscribeUrl }}">Unsubscribe</a>',
  text: 'Made by us for {{ customer.email | default: "you" }}\nUnsubscribe: {{ unsubscribeUrl }}',
};
const customSms = "{{ shop.name }}: our own {{ event.name }} text. Reply STOP to opt out";

describe.each(databaseModes)("campaign templates and test sends ($name)", (mode) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let sinks: Sinks;
  let queue: JobQueue;
  let dispatcher: Dispatcher;
  let deps: CampaignDeps;
  let env: CampaignActionEnv;
  const box = createSecretBox(randomBytes(32));
  const jobErrors: string[] = [];
  let seq = 0;

  const channels = (): ChannelConfigDeps => ({ prisma, box, network: EMULATOR_NETWORK });
  const envFor = (shop: string, limit = new TestSendLimit()): CampaignActionEnv => ({
    deps,
    prisma,
    readiness: () => channelReadiness(prisma, shop, box),
    testSend: { box, network: EMULATOR_NETWORK, limit, now: () => new Date(), timeoutMs: 5_000 },
  });
  const act = (fields: Record<string, string>, id: string, shop = SHOP, e = env) =>
    campaignAction(e, shop, id, form(fields));
  /** A draft campaign of Cyber Week (price-sensitive) running from yesterday to next week. */
  async function draftCampaign(shop = SHOP): Promise<string> {
    seq += 1;
    const id = `tpl-${seq}-${randomBytes(3).toString("hex")}`;
    await seedCampaign(prisma, { shop, id, channels: ["email", "sms"], status: "draft" });
    return id;
  }
  /** Queued rows for customers `from`.. on a channel, the campaign scheduled and kicked. */
  async function dispatch(
    id: string,
    rows: Array<{ channel: "email" | "sms"; from: number; count: number }>,
  ) {
    for (const r of rows)
      await seedOutbox(prisma, {
        shop: SHOP,
        campaignId: id,
        ...r,
        idPrefix: `${id}.${r.channel}.`,
        sendAt: new Date(Date.now() - 1_000),
      });
    await prisma.campaign.update({ where: { id }, data: { status: "scheduled" } });
    await dispatcher.kick(SHOP, id);
  }
  async function settled(id: string, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const open = await prisma.outboxMessage.count({
        where: { campaignId: id, status: { in: ["queued", "sending", "planned"] } },
      });
      if (open === 0)
        return prisma.outboxMessage.findMany({ where: { campaignId: id }, orderBy: { id: "asc" } });
      if (Date.now() > deadline) throw new Error(`rows of ${id} still open: ${JSON.stringify(jobErrors)}`);
      await sleep(25);
    }
  }
  const delivered = () => {
    const s = sinks.stats();
    return s.smtp.accepted + s.twilio.accepted;
  };

  beforeAll(async () => {
    db = await mode.open();
    prisma = db.prisma;
    sinks = await startSinks();
    queue = createDbJobQueue({
      prisma,
      logger: { error: (line: string) => jobErrors.push(line) },
      pollIntervalMs: 20,
    });
    dispatcher = createDispatcher({
      prisma,
      source: campaignSource({ prisma, now: () => new Date(), log: () => undefined }),
      network: EMULATOR_NETWORK,
      queue,
      coordination: createMemoryCoordination(),
      openSealed: (sealed, context) => box.decrypt(sealed, context),
      unsubscribeSecret: "templates-test-unsubscribe-secret",
      appUrl: APP_URL,
      options: { sweepMs: 200, statusCheckMs: 50, leaseMs: 3_000, laneTtlMs: 3_000, channelTimeoutMs: 2_000 },
    });
    dispatcher.register();
    await queue.start({ concurrency: 4 });
    dispatcher.start();
    await seedCustomers(prisma, SHOP, 1, 40);
    deps = { prisma, now: () => new Date(), log: () => undefined };
    // As the merchant does it: save the settings, then "Test connection" against the sinks.
    for (const shop of [SHOP, LONG]) {
      await saveChannelSettings(channels(), shop, "email", sinks.settings.smtp);
      await saveChannelSettings(channels(), shop, "sms", sinks.settings.twilio);
      expect(await testChannel(channels(), shop, "email")).toMatchObject({ ok: true });
      expect(await testChannel(channels(), shop, "sms")).toMatchObject({ ok: true });
    }
    env = envFor(SHOP);
  });

  afterAll(async () => {
    await queue?.close();
    await dispatcher?.stop();
    await sinks?.close();
    await db?.close();
  });

  it("sends the saved template; 'Use the default' brings the default back", async () => {
    const own = await draftCampaign();
    const reset = await draftCampaign();
    for (const id of [own, reset]) {
      expect(
        await act({ intent: "save-template", sendKey: "launch", channel: "email", ...customEmail }, id),
      ).toMatchObject({
        ok: true,
        intent: "save-template",
        render: { ok: true, message: { subject: "Our own Cyber Week note" } },
      });
      expect(
        await act({ intent: "save-template", sendKey: "launch", channel: "sms", body: customSms }, id),
      ).toMatchObject({ ok: true });
    }
    // saving is an edit: the plan is forgotten
    expect((await getCampaign(prisma, SHOP, own)).plannedAt).toBeNull();
    expect(await act({ intent: "reset-template", sendKey: "launch", channel: "email" }, reset)).toMatchObject(
      {
        ok: true,
      },
    );
    // the default's own text saved back keeps no template of the merchant's
    const defaultSms = {
      intent: "save-template",
      sendKey: "launch",
      channel: "sms",
      body: DEFAULT_TEMPLATES.price_sensitive.sms.body,
    };
    const savedDefault = await act(defaultSms, reset);
    expect(savedDefault, JSON.stringify(savedDefault)).toMatchObject({
      ok: true,
      message: "This is the default template: the campaign uses the default.",
    });

    const preview = async (id: string) =>
      (await loadCampaignDetail(prisma, SHOP, id, new URLSearchParams({ send: "launch" }), {})).preview
        ?.channels;
    expect((await preview(own))?.map((c) => [c.channel, c.saved])).toEqual([
      ["email", true],
      ["sms", true],
    ]);
    expect((await preview(own))?.[0]?.result).toMatchObject({
      ok: true,
      message: {
        subject: "Our own Cyber Week note",
        text: expect.stringContaining("Made by us for jordan.sample@example.com"),
      },
    });
    expect((await preview(reset))?.map((c) => [c.channel, c.saved])).toEqual([
      ["email", false],
      ["sms", false],
    ]);
    expect((await getCampaign(prisma, SHOP, reset)).definition?.draft).not.toHaveProperty("templates");

    await dispatch(own, [
      { channel: "email", from: 1, count: 3 },
      { channel: "sms", from: 4, count: 2 },
    ]);
    await dispatch(reset, [
      { channel: "email", from: 1, count: 3 },
      { channel: "sms", from: 4, count: 2 },
    ]);
    for (const id of [own, reset])
      expect((await settled(id)).map((r) => r.status)).toEqual(["sent", "sent", "sent", "sent", "sent"]);

    const mail = (key: string) => sinks.mail(200).find((m) => m.key === key);
    const text = (key: string) => sinks.sms(200).find((m) => m.key === key)?.body;
    for (const n of [1, 2, 3]) {
      expect(mail(`${own}.email.${n}`)).toMatchObject({
        subject: "Our own Cyber Week note",
        to: [`c${n}@example.com`],
      });
      expect(mail(`${own}.email.${n}`)?.text).toContain(`Made by us for c${n}@example.com`);
      // the saved template still gets the campaign's own one-click unsubscribe
      expect(mail(`${own}.email.${n}`)?.listUnsubscribe).toMatch(
        /^<https:\/\/app\.example\.com\/unsubscribe\//,
      );
      expect(mail(`${reset}.email.${n}`)?.subject).toMatch(/Cyber Week is on at /);
    }
    expect(text(`${own}.sms.4`)).toBe(`${SHOP}: our own Cyber Week text. Reply STOP to opt out`);
    expect(text(`${reset}.sms.5`)).toMatch(/: Cyber Week is on!.*Reply STOP to opt out$/);
  });

  it("never sends a saved template that does not render for the customer at hand", async () => {
    const id = await draftCampaign();
    // renders for the sample customer and for one known by nothing but an address; not for c23
    const body =
      "{{ shop.name }}: hi{% if customer.email == 'c23@example.com' %}{{ event.date | date: '%z' }}{% endif %}. Reply STOP to opt out";
    expect(await act({ intent: "save-template", sendKey: "launch", channel: "sms", body }, id)).toMatchObject(
      { ok: true },
    );
    await dispatch(id, [{ channel: "sms", from: 21, count: 3 }]);
    const rows = await settled(id);
    expect(rows.map((r) => [r.customerId.toString(), r.status])).toEqual([
      ["21", "sent"],
      ["22", "sent"],
      ["23", "failed"],
    ]);
    expect(rows[2]?.lastError).toMatch(/^template: sms 1:\d+ date: these values have no time zone/);
    expect(sinks.countFor("twilio", `${id}.sms.23`)).toBe(0);
    expect(sinks.sms(200).find((m) => m.key === `${id}.sms.22`)?.body).toBe(
      `${SHOP}: hi. Reply STOP to opt out`,
    );
  });

  it("refuses to save a template that does not render, by part, line and column, and only while a draft", async () => {
    const id = await draftCampaign();
    const bad = await act(
      { intent: "save-template", sendKey: "launch", channel: "sms", body: "Hi\n  {% if discount %}no end" },
      id,
    );
    expect(bad).toMatchObject({
      ok: false,
      status: 400,
      templateErrors: [{ part: "sms", line: 2, column: 3, message: "tag {% if discount %} not closed" }],
    });
    const typo = await act(
      {
        intent: "save-template",
        sendKey: "launch",
        channel: "email",
        ...customEmail,
        text: "Hi {{ customer.fristName }}\n{{ unsubscribeUrl }}",
      },
      id,
    );
    expect(typo).toMatchObject({
      ok: false,
      templateErrors: [
        { part: "text", line: 1, column: 7, message: "undefined variable: customer.fristName" },
      ],
    });
    const bare = await act(
      {
        intent: "save-template",
        sendKey: "launch",
        channel: "sms",
        body: "{{ products.first.title }} Reply STOP",
      },
      id,
    );
    // this campaign shows no products: not even the sample customer has any
    expect(bare).toMatchObject({
      ok: false,
      templateErrors: [{ part: "sms", line: 1, column: 4, message: "undefined variable: products.first" }],
    });
    expect((await getCampaign(prisma, SHOP, id)).definition?.draft).not.toHaveProperty("templates");
    // "Preview" shows the same errors and saves nothing
    expect(
      await act(
        { intent: "try-template", sendKey: "launch", channel: "sms", body: "Hi\n  {% if discount %}no end" },
        id,
      ),
    ).toMatchObject({
      ok: true,
      render: { ok: false, errors: [{ part: "sms", line: 2, column: 3 }] },
    });

    // An edit of another field that would break a saved template is refused too.
    const deadline = "{{ shop.name }}: ends {{ deadline | date: '%b %-e' }}. Reply STOP to opt out";
    expect(
      await act({ intent: "save-template", sendKey: "launch", channel: "sms", body: deadline }, id),
    ).toMatchObject({ ok: true });
    await expect(
      editCampaign(deps, SHOP, id, { draft: { discount: { type: "none" }, deliveryGuarantee: false } }),
    ).rejects.toMatchObject({
      code: "INVALID_DEFINITION",
      details: {
        issues: [
          {
            path: "draft.templates.launch.sms.body",
            message: expect.stringMatching(/^SMS body, line 1, column 23: date: expects/),
          },
        ],
      },
    });

    await prisma.campaign.update({ where: { id }, data: { status: "scheduled" } });
    expect(
      await act({ intent: "save-template", sendKey: "launch", channel: "sms", body: customSms }, id),
    ).toMatchObject({ ok: false, status: 409 });
    expect(await act({ intent: "reset-template", sendKey: "launch", channel: "sms" }, id)).toMatchObject({
      ok: false,
      status: 409,
    });
    expect((await getCampaign(prisma, SHOP, id)).definition?.draft.templates?.launch?.sms?.body).toBe(
      deadline,
    );
  });

  it("limits a shop's tries (30 a minute, in the render pool), not its page's previews; another shop is not held back", async () => {
    // The limit is per process: each database mode gets shops of its own.
    const busy = `previews-${mode.name}.myshopify.com`;
    const calm = `calm-${mode.name}.myshopify.com`;
    const [busyId, calmId] = [await draftCampaign(busy), await draftCampaign(calm)];
    const sms = {
      intent: "try-template",
      sendKey: "launch",
      channel: "sms",
      body: "Hi {{ customer.firstName }}. Reply STOP to opt out",
    };
    for (let i = 0; i < PREVIEWS_PER_MINUTE; i++)
      expect(await act(sms, busyId, busy)).toMatchObject({ ok: true, render: { ok: true } });
    expect(await act(sms, busyId, busy)).toMatchObject({
      ok: true,
      render: {
        ok: false,
        errors: [
          {
            part: "sms",
            message: expect.stringMatching(
              /^not rendered: more than 30 previews for this shop in a minute; try again in \d+ s$/,
            ),
          },
        ],
      },
    });
    // The page's own previews (saved templates and defaults) still render: the page reloads them
    // every 2 s while a campaign sends, and they must not read "does not render" then.
    for (let i = 0; i < 3; i++) {
      const page = await loadCampaignDetail(prisma, busy, busyId, new URLSearchParams(), {});
      expect(page.preview?.channels.map((c) => c.result.ok)).toEqual([true, true]);
    }
    expect(await act(sms, calmId, calm)).toMatchObject({ ok: true, render: { ok: true } });
  });

  it("sends a test to the merchant, marked [Test], through the shop's channel, and writes no outbox row", async () => {
    const id = await draftCampaign();
    await act({ intent: "save-template", sendKey: "launch", channel: "email", ...customEmail }, id);
    const rowsBefore = await prisma.outboxMessage.count();

    expect(
      await act(
        { intent: "send-test", channel: "email", sendKey: "launch", to: " merchant@shop.example " },
        id,
      ),
    ).toMatchObject({
      ok: true,
      intent: "send-test",
      message: expect.stringContaining("merchant@shop.example"),
    });
    const mail = sinks.mail(200).find((m) => m.to.includes("merchant@shop.example"));
    expect(mail).toMatchObject({
      subject: "[Test] Our own Cyber Week note",
      listUnsubscribe: null,
      listUnsubscribePost: null,
      count: 1,
    });
    expect(mail?.key).toMatch(/^test:[0-9a-f-]{36}$/);
    // the sample customer, never a real one, and an unsubscribe link that goes nowhere
    expect(mail?.text).toContain("Made by us for jordan.sample@example.com");
    expect(mail?.text).toContain(TEST_UNSUBSCRIBE_URL);

    expect(
      await act({ intent: "send-test", channel: "sms", sendKey: "last_hours", to: "+1 555 012 3499" }, id),
    ).toMatchObject({ ok: true });
    const sms = sinks.sms(200).find((m) => m.to === "+15550123499");
    // the shop's own name (no Shop row here: its domain), the last-hours default for that send
    expect(sms?.body).toMatch(
      /^\[Test\] templates-test\.myshopify\.com: last hours of Cyber Week! .*Reply STOP to opt out$/,
    );
    expect(sms?.key).toMatch(/^test:/);

    expect(await prisma.outboxMessage.count()).toBe(rowsBefore);
    expect(await prisma.outboxMessage.count({ where: { campaignId: id } })).toBe(0);
  });

  it("refuses a test without a ready channel, to a bad address, of a template that does not render, and past the hour's limit — sending nothing", async () => {
    const before = delivered();
    const send = (id: string, shop: string, fields: Record<string, string>, e = envFor(shop)) =>
      act({ intent: "send-test", sendKey: "launch", ...fields }, id, shop, e);

    // no settings at all
    const bare = await draftCampaign(BARE);
    expect(await send(bare, BARE, { channel: "email", to: "me@shop.example" })).toMatchObject({
      ok: false,
      status: 409,
      code: "CHANNEL_NOT_CONFIGURED",
      message: "Email (SMTP) is not set up: enter its settings in Settings → Channels",
    });
    // settings whose last connection test failed
    await saveChannelSettings(channels(), BARE, "sms", {
      ...sinks.settings.twilio,
      authToken: "not-the-token",
    });
    expect(await testChannel(channels(), BARE, "sms")).toMatchObject({ ok: false });
    expect(await send(bare, BARE, { channel: "sms", to: "+15550100000" })).toMatchObject({
      ok: false,
      code: "CHANNEL_NOT_READY",
      message: expect.stringMatching(
        /^SMS \(Twilio\) is not ready: its last connection test failed \(Auth token: .*\)\. Run "Test connection"/,
      ),
    });
    // settings saved but never tested
    await saveChannelSettings(channels(), BARE, "email", sinks.settings.smtp);
    expect(await send(bare, BARE, { channel: "email", to: "me@shop.example" })).toMatchObject({
      code: "CHANNEL_NOT_READY",
      message: expect.stringContaining("it has not been tested"),
    });

    const id = await draftCampaign();
    expect(await send(id, SHOP, { channel: "email", to: "me@shop.example, you@shop.example" })).toMatchObject(
      {
        ok: false,
        status: 400,
        code: "INVALID_RECIPIENT",
        fieldErrors: { to: expect.stringMatching(/one email address/) },
      },
    );
    expect(await send(id, SHOP, { channel: "sms", to: "555-0100" })).toMatchObject({
      code: "INVALID_RECIPIENT",
      fieldErrors: { to: expect.stringMatching(/E\.164/) },
    });
    expect(await send(id, SHOP, { channel: "webhook", to: "x" })).toMatchObject({ code: "INVALID_REQUEST" });
    expect(
      await send(id, SHOP, { channel: "sms", to: "+15550100000", sendKey: "early_access" }),
    ).toMatchObject({ code: "INVALID_REQUEST" });

    // A saved SMS that fits the sample shop's name but not this shop's long one (over 10 parts).
    await prisma.shop.create({ data: { domain: LONG, scopes: "", name: "L".repeat(250) } });
    const long = await draftCampaign(LONG);
    const sevenNames = `${"{{ shop.name }} ".repeat(7)}Reply STOP`;
    expect(
      await act(
        { intent: "save-template", sendKey: "launch", channel: "sms", body: sevenNames },
        long,
        LONG,
        envFor(LONG),
      ),
    ).toMatchObject({ ok: false, templateErrors: [{ message: expect.stringMatching(/parts/) }] });
    await editCampaign(deps, LONG, long, {
      template: { send: "launch", channel: "sms", template: { channel: "sms", body: sevenNames } },
    });
    expect(await send(long, LONG, { channel: "sms", to: "+15550100000" })).toMatchObject({
      ok: false,
      code: "TEMPLATE_ERROR",
      message: expect.stringMatching(
        /^The SMS \(Twilio\) message does not render, so it is not sent: sms line 1, column 1: the SMS is 12 parts/,
      ),
      templateErrors: [{ part: "sms", line: 1, column: 1 }],
    });
    // A stored template that no longer parses (written around the app): refused with its line and column.
    const stored = await prisma.campaign.findUniqueOrThrow({ where: { id } });
    const definition = JSON.parse(JSON.stringify(stored.definition));
    definition.draft.templates = { launch: { sms: { channel: "sms", body: "Hi\n{{ shop.name" } } };
    await prisma.campaign.update({ where: { id }, data: { definition } });
    expect(await send(id, SHOP, { channel: "sms", to: "+15550100000" })).toMatchObject({
      ok: false,
      status: 400,
      message: expect.stringMatching(
        /draft\.templates\.launch\.sms\.body: SMS body, line 2, column 1: output "\{\{ shop\.name" not closed/,
      ),
    });
    expect(delivered()).toBe(before);

    // The hour's limit (2 here, 10 in the app), per shop.
    const ok = await draftCampaign();
    const limited = envFor(SHOP, new TestSendLimit(2));
    for (let i = 0; i < 2; i++)
      expect(await send(ok, SHOP, { channel: "email", to: "me@shop.example" }, limited)).toMatchObject({
        ok: true,
      });
    expect(await send(ok, SHOP, { channel: "email", to: "me@shop.example" }, limited)).toMatchObject({
      ok: false,
      status: 429,
      code: "RATE_LIMITED",
      message: "The shop's test sends for this hour are used up; try again in 60 minutes",
    });
    expect(delivered()).toBe(before + 2);
    expect(jobErrors.filter((line) => !/will retry/.test(line))).toEqual([]);
  });
});
