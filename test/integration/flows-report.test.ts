import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flowCounts, customerTimeline } from "~/flows/report.server";
import { enrollmentIdFor, flowIdFor } from "~/flows/ids";
import {
  channelReadiness,
  saveChannelSettings,
  testChannel,
  type ChannelConfigDeps,
} from "~/messaging/channel-config/channel-config.server";
import { createSecretBox } from "~/messaging/channels/secret-box.server";
import { TEST_UNSUBSCRIBE_URL } from "~/messaging/test-send/test-message";
import { TestSendLimit } from "~/messaging/test-send/test-send-limit";
import { upsertCustomers } from "~/sync/store.server";
import { flowsAction, type FlowsActionEnv } from "~/ui/flows/flows-action.server";
import { loadFlowsPage } from "~/ui/flows/flows-page.server";
import { startSinks, type Sinks } from "../emulator/sinks";
import { EMULATOR_NETWORK } from "../support/network";
import { customerRow } from "./helpers/customers";
import { databaseModes, type TestDatabase } from "./helpers/db";
import { formData } from "./helpers/form";

// The Flows page's live counts and a customer's timeline, from enrollments and outbox rows seeded
// as the scheduler writes them, never another shop's; and "Test with a sample event", which reaches
// the local sinks with every step's message and leaves no trace in the database.

const SHOP = "flows-report.myshopify.com";
const OTHER = "other-report.myshopify.com";
const AT = new Date("2026-11-27T15:00:00Z");
const minutes = (n: number) => new Date(AT.getTime() + n * 60_000);

interface Seed {
  shop: string;
  flowKey: string;
  trigger: string;
  customerId: bigint;
  status: "waiting" | "done" | "exited";
  exitReason?: string;
  holdout?: boolean;
  /** minutes before AT it was triggered */
  ago?: number;
  messages?: Array<{ sendKey: string; channel: string; status: string; skipReason?: string; at: number }>;
}

describe.each(databaseModes)("Flows page counts, timeline and test sends ($name)", (mode) => {
  let db: TestDatabase;
  let sinks: Sinks;
  const box = createSecretBox(randomBytes(32));

  async function seed(s: Seed): Promise<string> {
    const id = enrollmentIdFor(s.shop, s.flowKey, s.trigger);
    await db.prisma.flowEnrollment.create({
      data: {
        id,
        shop: s.shop,
        flowKey: s.flowKey,
        triggerEntityId: s.trigger,
        customerId: s.customerId,
        triggeredAt: minutes(-(s.ago ?? 0)),
        holdout: s.holdout ?? false,
        status: s.status,
        exitReason: s.exitReason ?? null,
        stepIndex: s.status === "waiting" ? 3 : null,
        dueAt: s.status === "waiting" ? minutes(24 * 60 + 60) : null,
        wakeAt: s.status === "waiting" ? minutes(24 * 60 + 60) : null,
      },
    });
    await db.prisma.outboxMessage.createMany({
      data: (s.messages ?? []).map((m, i) => ({
        id: `${id}-${i}`,
        shop: s.shop,
        campaignId: flowIdFor(s.shop, s.flowKey),
        sendKey: m.sendKey,
        customerId: s.customerId,
        segment: "regular",
        channel: m.channel,
        status: m.status,
        skipReason: m.skipReason ?? null,
        sendAt: minutes(m.at),
        sentAt: m.status === "sent" ? minutes(m.at) : null,
        enrollmentId: id,
      })),
    });
    return id;
  }

  beforeAll(async () => {
    db = await mode.open();
    sinks = await startSinks();
    await db.prisma.shop.create({
      data: { domain: SHOP, scopes: "", ianaTimezone: "America/New_York", name: "Snow Devil" },
    });
    await upsertCustomers(db.prisma, SHOP, [
      customerRow(501n, { firstName: "Maja", lastName: "Berg" }),
      customerRow(502n),
    ]);
    const first = "abandoned_checkout.first";
    await seed({
      shop: SHOP,
      flowKey: "abandoned_checkout",
      trigger: "c1",
      customerId: 501n,
      status: "waiting",
      messages: [{ sendKey: first, channel: "email", status: "sent", at: 60 }],
    });
    await seed({
      shop: SHOP,
      flowKey: "abandoned_checkout",
      trigger: "c2",
      customerId: 501n,
      ago: 1440,
      status: "exited",
      exitReason: "converted",
      messages: [{ sendKey: first, channel: "email", status: "skipped", skipReason: "converted", at: 60 }],
    });
    await seed({
      shop: SHOP,
      flowKey: "abandoned_checkout",
      trigger: "c3",
      customerId: 502n,
      status: "done",
      messages: [
        { sendKey: first, channel: "email", status: "sent", at: 60 },
        {
          sendKey: "abandoned_checkout.reminder",
          channel: "email",
          status: "skipped",
          skipReason: "capped",
          at: 1500,
        },
        {
          sendKey: "abandoned_checkout.last",
          channel: "sms",
          status: "skipped",
          skipReason: "no_consent",
          at: 4380,
        },
      ],
    });
    await seed({
      shop: SHOP,
      flowKey: "abandoned_checkout",
      trigger: "c4",
      customerId: 503n,
      status: "exited",
      exitReason: "unsubscribed",
      holdout: true,
      messages: [{ sendKey: first, channel: "email", status: "holdout", at: 60 }],
    });
    await seed({
      shop: SHOP,
      flowKey: "welcome",
      trigger: "501",
      customerId: 501n,
      ago: 14400,
      status: "done",
      messages: [{ sendKey: "welcome.first", channel: "sms", status: "sent", at: 0 }],
    });
    // the same customer id in another shop, in the same flow
    await seed({
      shop: OTHER,
      flowKey: "abandoned_checkout",
      trigger: "c1",
      customerId: 501n,
      status: "exited",
      exitReason: "converted",
      messages: [{ sendKey: first, channel: "email", status: "sent", at: 60 }],
    });
    const channels = (): ChannelConfigDeps => ({ prisma: db.prisma, box, network: EMULATOR_NETWORK });
    await saveChannelSettings(channels(), SHOP, "email", sinks.settings.smtp);
    await saveChannelSettings(channels(), SHOP, "sms", sinks.settings.twilio);
    expect(await testChannel(channels(), SHOP, "email")).toMatchObject({ ok: true });
    expect(await testChannel(channels(), SHOP, "sms")).toMatchObject({ ok: true });
  });
  afterAll(async () => {
    await sinks?.close();
    await db?.close();
  });

  it("counts each flow's customers and messages from its own rows, by reason", async () => {
    const counts = await flowCounts(db.prisma, SHOP);
    expect(counts.abandoned_checkout).toEqual({
      entered: 4,
      waiting: 1,
      done: 1,
      exited: { converted: 1, unsubscribed: 1 },
      converted: 1,
      heldOut: 1,
      messages: { sent: 2, skipped: 3, holdout: 1 },
      sent: 2,
      skipped: { converted: 1, capped: 1, no_consent: 1 },
    });
    expect(counts.welcome).toMatchObject({ entered: 1, done: 1, sent: 1 });
    expect(counts.win_back).toMatchObject({ entered: 0, sent: 0, skipped: {} });
    expect((await flowCounts(db.prisma, OTHER)).abandoned_checkout).toMatchObject({
      entered: 1,
      converted: 1,
      sent: 1,
      waiting: 0,
    });
    const page = await loadFlowsPage(db.prisma, SHOP, new URLSearchParams(), {});
    expect(page.flows.find((f) => f.key === "abandoned_checkout")?.counts).toEqual(counts.abandoned_checkout);
  });

  it("shows a customer's timeline in this shop only, on the shop's clock", async () => {
    const timeline = await customerTimeline(db.prisma, SHOP, 501n);
    expect(timeline.customer).toMatchObject({ id: "501", firstName: "Maja", lastName: "Berg" });
    expect(timeline.enrollments.map((e) => [e.flowName, e.triggerEntityId, e.status, e.exitReason])).toEqual([
      ["Abandoned checkout", "c1", "waiting", null],
      ["Abandoned checkout", "c2", "exited", "converted"],
      ["Welcome", "501", "done", null],
    ]);
    const waiting = timeline.enrollments[0];
    expect(waiting?.triggeredAt).toBe("Nov 27, 2026, 10:00 AM EST");
    expect(waiting?.waitingOn).toEqual({
      step: "First reminder",
      dueAt: "Nov 28, 2026, 11:00 AM EST",
      wakeAt: "Nov 28, 2026, 11:00 AM EST",
    });
    expect(waiting?.messages).toEqual([
      {
        id: `${waiting?.id}-0`,
        step: "First message",
        templateKey: "abandoned_checkout.first",
        channel: "email",
        status: "sent",
        skipReason: null,
        sendAt: "Nov 27, 2026, 11:00 AM EST",
        sentAt: "Nov 27, 2026, 11:00 AM EST",
        lastError: null,
      },
    ]);
    expect(timeline.enrollments[1]?.messages.map((m) => [m.status, m.skipReason])).toEqual([
      ["skipped", "converted"],
    ]);
    // the other shop's enrollment of the same customer id is not here; its own timeline has only it
    const other = await customerTimeline(db.prisma, OTHER, 501n);
    expect(other.customer).toBeNull();
    expect(other.zone).toBe("UTC");
    expect(other.enrollments.map((e) => [e.id, e.messages.length])).toEqual([
      [enrollmentIdFor(OTHER, "abandoned_checkout", "c1"), 1],
    ]);
    expect((await customerTimeline(db.prisma, SHOP, 501n, { flowKey: "welcome" })).enrollments).toHaveLength(
      1,
    );

    const page = await loadFlowsPage(
      db.prisma,
      SHOP,
      new URLSearchParams({ customer: "gid://shopify/Customer/501" }),
      {},
    );
    expect(page.timeline?.enrollments).toHaveLength(3);
    expect(page.timesNote).toBe("Times are in your store's time zone, America/New_York.");
    const bad = await loadFlowsPage(db.prisma, SHOP, new URLSearchParams({ customer: "maja" }), {});
    expect(bad).toMatchObject({
      timeline: null,
      timelineError: expect.stringMatching(/^Enter a customer id/),
    });
  });

  it("tests a flow with a sample event: every step's message to the merchant's address and phone, nothing recorded", async () => {
    const env: FlowsActionEnv = {
      prisma: db.prisma,
      readiness: () => channelReadiness(db.prisma, SHOP, box),
      testSend: {
        box,
        network: EMULATOR_NETWORK,
        limit: new TestSendLimit(),
        now: () => new Date(),
        timeoutMs: 5_000,
      },
    };
    const rows = await db.prisma.outboxMessage.count();
    const enrollments = await db.prisma.flowEnrollment.count();
    const result = await flowsAction(
      env,
      SHOP,
      formData({
        intent: "test-flow",
        flow: "abandoned_checkout",
        email: " merchant@shop.example ",
        phone: "+1 555 012 3400",
      }),
    );
    expect(result).toMatchObject({
      ok: true,
      intent: "test-flow",
      message: "Sent 6 test messages, one per step, marked [Test].",
    });
    const mails = sinks.mail(50).filter((m) => m.to.includes("merchant@shop.example"));
    expect(mails.map((m) => m.subject).sort()).toEqual(
      [
        "[Test] You left something in your cart at Snow Devil",
        "[Test] 10% off your cart at Snow Devil",
        "[Test] Last reminder about your cart at Snow Devil",
      ].sort(),
    );
    const first = mails.find((m) => m.subject.includes("You left something"));
    expect(first?.text).toContain("Hi Jordan,");
    expect(first?.text).toContain("checkouts/sample/recover");
    expect(first?.text).toContain(TEST_UNSUBSCRIBE_URL);
    expect(
      sinks
        .sms(50)
        .filter((m) => m.to === "+15550123400")
        .map((m) => m.body.slice(0, 40)),
    ).toHaveLength(3);
    expect(await db.prisma.outboxMessage.count()).toBe(rows);
    expect(await db.prisma.flowEnrollment.count()).toBe(enrollments);

    // email only: win-back has no SMS step; a bad phone is named before anything is sent
    expect(
      await flowsAction(
        env,
        SHOP,
        formData({ intent: "test-flow", flow: "win_back", email: "", phone: "+15550123400" }),
      ),
    ).toMatchObject({
      ok: false,
      fieldErrors: { email: "This flow sends by email only" },
    });
    expect(
      await flowsAction(
        env,
        SHOP,
        formData({ intent: "test-flow", flow: "welcome", email: "merchant@shop.example", phone: "12" }),
      ),
    ).toMatchObject({
      ok: false,
      fieldErrors: { phone: "Enter a phone number in international E.164 form, e.g. +15551234567" },
    });
    // another shop without channels: each message says why it was not sent
    const bare = await flowsAction(
      { ...env, readiness: () => channelReadiness(db.prisma, OTHER, box) },
      OTHER,
      formData({ intent: "test-flow", flow: "vip_recognition", email: "me@shop.example" }),
    );
    expect(bare).toMatchObject({
      ok: true,
      message: "Sent 0 of 1 test messages; see why below.",
      messages: [
        {
          step: "Thank you",
          channel: "email",
          ok: false,
          message: "Email (SMTP) is not set up: enter its settings in Settings → Channels",
        },
      ],
    });
  });
});
