import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readShopFlow, readShopFlows, shopFlowSettings } from "~/flows/flow-settings.server";
import { flowIdFor } from "~/flows/ids";
import { DEFAULT_FLOW_SETTINGS } from "~/flows/settings";
import { DEFAULT_FLOW_TEMPLATES, flowTemplateFor } from "~/flows/templates";
import { flowsAction, type FlowsActionEnv } from "~/ui/flows/flows-action.server";
import { loadFlowsPage } from "~/ui/flows/flows-page.server";
import { databaseModes, type TestDatabase } from "./helpers/db";
import { formData } from "./helpers/form";

// The Flows page's settings, switch and templates, through the page's own action and loader: flows
// start off with the default settings, every write is scoped by the session's shop, bad input is
// answered field by field (or by part, line and column) and stores nothing.

const SHOP = "flows-settings.myshopify.com";
const OTHER = "other-flows.myshopify.com";
const NOW = new Date("2026-11-20T12:00:00Z");
const ready = { email: { configured: true, testOk: true, testedAt: null, testError: null } };
const acDelays = {
  "delays.first_message_wait": "45",
  "delays.first_reminder_wait": "12",
  "delays.last_reminder_wait": "3",
};
const mySms =
  "{{ shop.name }}: your cart misses you. {% if checkout %}{{ checkout.url }}{% endif %} Reply STOP to opt out";

describe.each(databaseModes)("Flows page settings ($name)", (mode) => {
  let db: TestDatabase;
  let env: FlowsActionEnv;
  const act = (fields: Record<string, string>, shop = SHOP) => flowsAction(env, shop, formData(fields));
  const stored = (shop: string, key: string) =>
    db.prisma.flow.findUnique({ where: { shop_key: { shop, key } } });

  beforeAll(async () => {
    db = await mode.open();
    env = { prisma: db.prisma, readiness: async () => ready, now: () => NOW };
  });
  afterAll(async () => {
    await db.close();
  });

  it("starts every flow off with the default settings and no row", async () => {
    const flows = await readShopFlows(db.prisma, SHOP);
    expect(flows.map((f) => [f.key, f.status, f.id])).toEqual(
      ["abandoned_checkout", "welcome", "win_back", "vip_recognition", "post_purchase_cross_sell"].map(
        (k) => [k, "off", flowIdFor(SHOP, k)],
      ),
    );
    const settings = await shopFlowSettings(db.prisma, SHOP);
    expect(settings.abandoned_checkout).toEqual({
      ...DEFAULT_FLOW_SETTINGS.abandoned_checkout,
      enabled: false,
    });
    expect(Object.values(settings).every((s) => !s.enabled)).toBe(true);
    expect(await db.prisma.flow.count()).toBe(0);
  });

  it("turns a flow on and off for the shop only", async () => {
    expect(await act({ intent: "turn-on", flow: "abandoned_checkout" })).toMatchObject({
      ok: true,
      message: "Abandoned checkout is on.",
    });
    const row = await stored(SHOP, "abandoned_checkout");
    expect(row).toMatchObject({
      id: flowIdFor(SHOP, "abandoned_checkout"),
      status: "on",
      setting: { enabled: true },
    });
    expect((await shopFlowSettings(db.prisma, SHOP)).abandoned_checkout.enabled).toBe(true);
    expect((await shopFlowSettings(db.prisma, OTHER)).abandoned_checkout.enabled).toBe(false);
    await act({ intent: "turn-off", flow: "abandoned_checkout" });
    expect(await stored(SHOP, "abandoned_checkout")).toMatchObject({
      status: "off",
      setting: { enabled: false },
    });
    expect(await act({ intent: "turn-on", flow: "nope" })).toMatchObject({ ok: false, status: 400 });
    expect(await act({ intent: "explode" })).toMatchObject({
      ok: false,
      status: 400,
      message: 'Unknown action "explode"',
    });
  });

  it("turning on again clears why the app paused it", async () => {
    await db.prisma.flow.update({
      where: { shop_key: { shop: SHOP, key: "abandoned_checkout" } },
      data: { status: "paused", pausedReason: "Too many spam complaints" },
    });
    expect(await readShopFlow(db.prisma, SHOP, "abandoned_checkout")).toMatchObject({
      status: "paused",
      pausedReason: "Too many spam complaints",
      setting: { enabled: false },
    });
    await act({ intent: "turn-on", flow: "abandoned_checkout" });
    expect(await stored(SHOP, "abandoned_checkout")).toMatchObject({ status: "on", pausedReason: null });
  });

  it("saves valid settings, keeping the flow's state; refuses bad ones field by field and stores nothing", async () => {
    const saved = await act({
      intent: "save-settings",
      flow: "abandoned_checkout",
      ...acDelays,
      holdoutPercent: "5",
    });
    expect(saved).toMatchObject({ ok: true, message: "Saved the Abandoned checkout settings." });
    const flow = await readShopFlow(db.prisma, SHOP, "abandoned_checkout");
    expect(flow).toMatchObject({ status: "on" });
    expect(flow.setting).toEqual({
      enabled: true,
      delays: { first_message_wait: 45, first_reminder_wait: 720, last_reminder_wait: 4320 },
      holdoutShare: 0.05,
      countsTowardCaps: false,
    });
    expect(await stored(SHOP, "abandoned_checkout")).toMatchObject({
      setting: { enabled: true, holdoutShare: 0.05 },
    });

    const bad = await act({
      intent: "save-settings",
      flow: "abandoned_checkout",
      ...acDelays,
      "delays.first_message_wait": "5",
      holdoutPercent: "x",
    });
    expect(bad).toEqual({
      ok: false,
      status: 400,
      message: "Check the highlighted fields; nothing was saved.",
      fieldErrors: { holdoutPercent: "Holdout must be a percentage from 0 to 50" },
    });
    const outOfBounds = await act({
      intent: "save-settings",
      flow: "abandoned_checkout",
      ...acDelays,
      "delays.first_message_wait": "5",
      holdoutPercent: "10",
    });
    expect(outOfBounds).toMatchObject({
      ok: false,
      fieldErrors: {
        "delays.first_message_wait":
          "First message, after the last checkout activity must be from 15 minutes to 1 day (got 5 minutes)",
      },
    });
    expect(
      (await readShopFlow(db.prisma, SHOP, "abandoned_checkout")).setting.delays.first_message_wait,
    ).toBe(45);

    // a flow saved while off stays off
    await act({
      intent: "save-settings",
      flow: "welcome",
      "delays.second_welcome_wait": "2",
      holdoutPercent: "0",
      countsTowardCaps: "on",
    });
    expect(await readShopFlow(db.prisma, SHOP, "welcome")).toMatchObject({
      status: "off",
      setting: { enabled: false, holdoutShare: 0, delays: { second_welcome_wait: 2880 } },
    });
    expect((await readShopFlow(db.prisma, OTHER, "welcome")).setting).toEqual({
      ...DEFAULT_FLOW_SETTINGS.welcome,
      enabled: false,
    });
  });

  it("applies the peak preset to the abandoned checkout's first message only", async () => {
    expect(await act({ intent: "peak-preset" })).toMatchObject({
      ok: true,
      message: expect.stringContaining("30 minutes"),
    });
    expect((await readShopFlow(db.prisma, SHOP, "abandoned_checkout")).setting).toMatchObject({
      enabled: true,
      delays: { first_message_wait: 30, first_reminder_wait: 720, last_reminder_wait: 4320 },
      holdoutShare: 0.05,
    });
    const page = await loadFlowsPage(db.prisma, SHOP, new URLSearchParams(), ready);
    const ac = page.flows.find((f) => f.key === "abandoned_checkout");
    expect(ac).toMatchObject({
      peak: { minutes: 30, active: true },
      values: { delays: { "delays.first_message_wait": "30" } },
    });
    expect(ac?.steps[0]?.text).toBe("Wait 30 minutes");
  });

  it("saves a template that renders, refuses one that does not (by part, line and column), and goes back to the default", async () => {
    const saved = await act({
      intent: "save-template",
      templateKey: "abandoned_checkout.first",
      channel: "sms",
      body: mySms,
    });
    expect(saved).toMatchObject({
      ok: true,
      intent: "save-template",
      render: { ok: true, message: { body: expect.stringContaining("checkouts/sample/recover") } },
    });
    const flow = await readShopFlow(db.prisma, SHOP, "abandoned_checkout");
    expect(flowTemplateFor(flow.templates, "abandoned_checkout.first", "sms")).toEqual({
      channel: "sms",
      body: mySms,
    });
    expect(flowTemplateFor(flow.templates, "abandoned_checkout.first", "email")).toBe(
      DEFAULT_FLOW_TEMPLATES["abandoned_checkout.first"].email,
    );
    // the settings are untouched by a template save, and the other shop has none
    expect(flow.setting.delays.first_message_wait).toBe(30);
    expect((await readShopFlow(db.prisma, OTHER, "abandoned_checkout")).templates).toBeNull();

    const broken = await act({
      intent: "save-template",
      templateKey: "abandoned_checkout.first",
      channel: "sms",
      body: "Hi\n  {{ customer.fristName }}",
    });
    expect(broken).toMatchObject({
      ok: false,
      status: 400,
      message: "The template does not render; not saved.",
      templateErrors: [
        { part: "sms", line: 2, column: 6, message: "undefined variable: customer.fristName" },
      ],
    });
    // renders for the sample, not for a checkout without a link or lines
    const emptyCart = await act({
      intent: "save-template",
      templateKey: "abandoned_checkout.first",
      channel: "sms",
      body: "{{ shop.name }}: {{ checkout.lines.first.title | upcase }}",
    });
    expect(emptyCart).toMatchObject({
      ok: false,
      templateErrors: [
        { message: "undefined variable: checkout.lines.first (for a checkout without a recovery link)" },
      ],
    });
    const wrongChannel = await act({
      intent: "save-template",
      templateKey: "win_back.reminder",
      channel: "sms",
      body: mySms,
    });
    expect(wrongChannel).toMatchObject({ ok: false, message: "This step does not send by SMS" });
    expect(
      flowTemplateFor(
        (await readShopFlow(db.prisma, SHOP, "abandoned_checkout")).templates,
        "abandoned_checkout.first",
        "sms",
      ),
    ).toEqual({ channel: "sms", body: mySms });

    // an email of another flow next to it, then the SMS back to the default
    const email = DEFAULT_FLOW_TEMPLATES["win_back.reminder"].email;
    const own = {
      subject: "Come back, {{ customer.firstName | default: 'friend' }}",
      html: email?.html ?? "",
      text: email?.text ?? "",
    };
    expect(
      await act({ intent: "save-template", templateKey: "win_back.reminder", channel: "email", ...own }),
    ).toMatchObject({ ok: true, render: { ok: true, message: { subject: "Come back, Morgan" } } });
    expect(
      await act({ intent: "reset-template", templateKey: "abandoned_checkout.first", channel: "sms" }),
    ).toMatchObject({ ok: true });
    const after = await readShopFlow(db.prisma, SHOP, "abandoned_checkout");
    expect(flowTemplateFor(after.templates, "abandoned_checkout.first", "sms")).toBe(
      DEFAULT_FLOW_TEMPLATES["abandoned_checkout.first"].sms,
    );
    expect((await readShopFlow(db.prisma, SHOP, "win_back")).templates).toMatchObject({
      "win_back.reminder": { email: { subject: own.subject } },
    });
    // the default's own text saved back is no template of the merchant's
    const same = await act({
      intent: "save-template",
      templateKey: "win_back.reminder",
      channel: "email",
      subject: email?.subject ?? "",
      html: email?.html ?? "",
      text: email?.text ?? "",
    });
    expect(same).toMatchObject({
      ok: true,
      message: "This is the default template: the flow uses the default.",
    });
    expect(
      flowTemplateFor(
        (await readShopFlow(db.prisma, SHOP, "win_back")).templates,
        "win_back.reminder",
        "email",
      ),
    ).toBe(email);
  });

  it("previews a template with the flow's sample customer and an unsaved edit without saving it", async () => {
    const page = await loadFlowsPage(
      db.prisma,
      SHOP,
      new URLSearchParams({ template: "abandoned_checkout.reminder" }),
      ready,
    );
    expect(page.preview).toMatchObject({
      flowKey: "abandoned_checkout",
      step: "First reminder",
      sampleCustomer: "Jordan Sample (price-sensitive)",
    });
    const email = page.preview?.channels.find((c) => c.channel === "email");
    expect(email?.result).toMatchObject({ ok: true, message: { subject: `10% off your cart at ${SHOP}` } });
    expect(page.preview?.channels.map((c) => c.channel)).toEqual(["email", "sms"]);
    expect(
      (await loadFlowsPage(db.prisma, SHOP, new URLSearchParams({ template: "nope" }), ready)).preview,
    ).toBeNull();
    expect(page.readiness).toEqual({
      email: { configured: true, testOk: true },
      sms: { configured: false, testOk: false },
    });

    const tried = await act({
      intent: "try-template",
      templateKey: "abandoned_checkout.reminder",
      channel: "sms",
      body: "{{ shop.name }}: {{ discount.code }}",
    });
    expect(tried).toMatchObject({ ok: true, render: { ok: true, message: { body: `${SHOP}: COMEBACK10` } } });
    expect(
      (await readShopFlow(db.prisma, SHOP, "abandoned_checkout")).templates?.["abandoned_checkout.reminder"],
    ).toBeUndefined();
  });
});
