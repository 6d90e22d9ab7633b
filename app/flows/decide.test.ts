import { describe, expect, it } from "vitest";
import { BUILT_IN_FLOWS } from "./built-in";
import { decideStep } from "./decide";
import { FlowDefinition } from "./definition";
import { enter } from "./enter";
import { stepMessageKey } from "./ids";
import type { DueStep, Enrollment, FlowEvent, StepFacts } from "./model";
import { applyFlowSettings, DEFAULT_FLOW_SETTINGS } from "./settings";
import { checkout, checkoutEvent, customer, d, entered, facts, SHOP } from "./test-fixtures";

// Hand-worked: New York is UTC−5 in late November (EST), so 08:00 there is 13:00 UTC.

const abandoned = BUILT_IN_FLOWS.abandoned_checkout.definition;
const entry = (flow = abandoned, event: FlowEvent = checkoutEvent("2026-11-27T10:00:00Z")) =>
  entered(
    enter(
      flow,
      event,
      { shop: SHOP, customer: { segment: "regular", timeZone: "America/New_York" } },
      { enrollments: [] },
      event.occurredAt,
    ),
  );
const { enrollment: base, first } = entry();
const treated: Enrollment = { ...base, holdout: false };
const cartFacts = (over: Partial<StepFacts> = {}) => facts({ checkout: checkout(), ...over });
const smsOnly = customer({ emailMarketingState: "NOT_SUBSCRIBED" });
const reminder: DueStep = {
  index: 3,
  dueAt: d("2026-11-28T11:00:00Z"),
  wakeAt: d("2026-11-28T11:00:00Z"),
  decided: [],
};

describe("decideStep: abandoned checkout, hand-worked", () => {
  it("emails the cart 60 minutes after the checkout, then waits 24 h for the reminder", () => {
    expect(first).toMatchObject({ index: 1, dueAt: d("2026-11-27T11:00:00Z") });
    const r = decideStep(abandoned, treated, first, cartFacts(), d("2026-11-27T11:00:00Z"));
    expect(r).toEqual({
      kind: "send",
      rows: [
        {
          flowKey: "abandoned_checkout",
          stepIndex: 1,
          stepId: "first_message",
          enrollmentId: treated.id,
          triggerEntityId: "5001",
          customerId: "1001",
          channel: "email",
          holdout: false,
          messageKey: stepMessageKey(SHOP.shop, "abandoned_checkout", "5001", 1, "email"),
          dueAt: d("2026-11-27T11:00:00Z"),
          sendAt: d("2026-11-27T11:00:00Z"),
          deferredForQuietHours: false,
          deferredForCap: false,
          skipReason: null,
        },
      ],
      content: {
        template: "abandoned_checkout.first",
        lines: checkout().lines,
        soldOutLinesDropped: 0,
        productIds: [],
        discount: null,
        recoveryUrl: "https://snowdevil.myshopify.com/recover/5001",
      },
      next: reminder,
    });
  });

  it("holds an SMS due at 06:00 New York time until 08:00, then sends it, and the reminder counts from 08:00", () => {
    const early = decideStep(
      abandoned,
      treated,
      first,
      cartFacts({ customer: smsOnly }),
      d("2026-11-27T11:00:00Z"),
    );
    expect(early).toMatchObject({
      kind: "hold",
      reason: "quiet_hours",
      rows: [{ channel: "email", skipReason: "no_consent", sendAt: null }],
      next: {
        index: 1,
        dueAt: d("2026-11-27T11:00:00Z"),
        wakeAt: d("2026-11-27T13:00:00Z"),
        decided: ["email"],
      },
    });
    if (early.kind !== "hold") throw new Error("held");
    const later = decideStep(
      abandoned,
      treated,
      early.next,
      cartFacts({ customer: smsOnly }),
      d("2026-11-27T13:00:00Z"),
    );
    expect(later).toMatchObject({
      kind: "send",
      rows: [
        { channel: "sms", sendAt: d("2026-11-27T13:00:00Z"), deferredForQuietHours: true, skipReason: null },
      ],
      next: { index: 3, dueAt: d("2026-11-28T13:00:00Z") },
    });
  });

  it("an SMS due at 23:30 local goes out at 08:00 the next morning", () => {
    // 2026-11-28T03:30Z is 22:30 on the 27th in New York; the first message is due at 23:30
    const late = entry(abandoned, checkoutEvent("2026-11-28T03:30:00Z"));
    const e = { ...late.enrollment, holdout: false };
    const f = cartFacts({ customer: smsOnly, checkout: checkout({ updatedAt: d("2026-11-28T03:30:00Z") }) });
    const r = decideStep(abandoned, e, late.first, f, d("2026-11-28T04:30:00Z"));
    expect(r).toMatchObject({
      kind: "hold",
      next: { dueAt: d("2026-11-28T04:30:00Z"), wakeAt: d("2026-11-28T13:00:00Z") },
    });
    if (r.kind !== "hold") throw new Error("held");
    expect(decideStep(abandoned, e, r.next, f, d("2026-11-28T13:00:00Z"))).toMatchObject({
      kind: "send",
      rows: [{ channel: "sms", sendAt: d("2026-11-28T13:00:00Z"), deferredForQuietHours: true }],
    });
  });

  it("a worker that wakes late into the quiet hours holds the SMS again instead of texting at night", () => {
    // due 23:30 local, the worker only gets to it at 02:00 local (07:00 UTC): still quiet until 08:00
    const late = entry(abandoned, checkoutEvent("2026-11-28T03:30:00Z"));
    const f = cartFacts({ customer: smsOnly, checkout: checkout({ updatedAt: d("2026-11-28T03:30:00Z") }) });
    const r = decideStep(
      abandoned,
      { ...late.enrollment, holdout: false },
      late.first,
      f,
      d("2026-11-28T07:00:00Z"),
    );
    expect(r).toMatchObject({
      kind: "hold",
      reason: "quiet_hours",
      next: { wakeAt: d("2026-11-28T13:00:00Z") },
    });
  });

  it("exits when an order arrives between the steps, for the customer or for the checkout", () => {
    const ordered = cartFacts({
      orders: [{ id: "o1", placedAt: d("2026-11-27T15:00:00Z"), checkoutId: null, productIds: ["p1"] }],
    });
    expect(decideStep(abandoned, treated, reminder, ordered, reminder.dueAt)).toEqual({
      kind: "exit",
      reason: "converted",
      // "first" mode reports the channel it would have tried first
      rows: [
        expect.objectContaining({ stepIndex: 3, channel: "email", skipReason: "converted", sendAt: null }),
      ],
    });
    // an order from before the checkout is not a conversion
    const before = cartFacts({
      orders: [{ id: "o0", placedAt: d("2026-11-01T00:00:00Z"), checkoutId: null, productIds: [] }],
    });
    expect(decideStep(abandoned, treated, reminder, before, reminder.dueAt).kind).toBe("send");
    // the checkout completed (by a guest order or a late webhook): converted however the order is filed
    const completed = cartFacts({ checkout: checkout({ completedAt: d("2026-11-27T10:30:00Z") }) });
    expect(decideStep(abandoned, treated, first, completed, first.dueAt)).toMatchObject({
      kind: "exit",
      reason: "converted",
    });
    const viaCheckout = cartFacts({
      orders: [{ id: "o2", placedAt: d("2026-11-27T09:00:00Z"), checkoutId: "5001", productIds: [] }],
    });
    expect(decideStep(abandoned, treated, first, viaCheckout, first.dueAt)).toMatchObject({
      kind: "exit",
      reason: "converted",
    });
  });

  it("counts the first message from the checkout's last activity: a shopper still at it is not reminded", () => {
    const active = cartFacts({ checkout: checkout({ updatedAt: d("2026-11-27T10:40:00Z") }) });
    const r = decideStep(abandoned, treated, first, active, d("2026-11-27T11:00:00Z"));
    expect(r).toEqual({
      kind: "hold",
      reason: "checkout_activity",
      rows: [],
      content: null,
      next: { index: 1, dueAt: d("2026-11-27T11:40:00Z"), wakeAt: d("2026-11-27T11:40:00Z"), decided: [] },
    });
    if (r.kind !== "hold") throw new Error("held");
    expect(decideStep(abandoned, treated, r.next, active, d("2026-11-27T11:40:00Z"))).toMatchObject({
      kind: "send",
      rows: [{ sendAt: d("2026-11-27T11:40:00Z") }],
      next: { dueAt: d("2026-11-28T11:40:00Z") },
    });
    // a worker late past the moved time sends at once, the row due at the moved time
    expect(decideStep(abandoned, treated, first, active, d("2026-11-27T12:00:00Z"))).toMatchObject({
      kind: "send",
      rows: [{ dueAt: d("2026-11-27T11:40:00Z"), sendAt: d("2026-11-27T12:00:00Z") }],
      next: { dueAt: d("2026-11-28T11:40:00Z") },
    });
    // the reminders are not moved by activity
    expect(decideStep(abandoned, treated, reminder, active, reminder.dueAt).kind).toBe("send");
  });

  it("never shows a sold-out item; skips the step when the whole cart is sold out and tries again at the next", () => {
    const r = decideStep(
      abandoned,
      treated,
      first,
      cartFacts({ inStock: { p1: true, p2: false } }),
      first.dueAt,
    );
    expect(r.kind === "send" && r.content).toMatchObject({
      lines: [{ productId: "p1" }],
      soldOutLinesDropped: 1,
    });
    // a product we do not know (deleted) is not shown either
    const unknown = decideStep(abandoned, treated, first, cartFacts({ inStock: { p1: true } }), first.dueAt);
    expect(unknown.kind === "send" && unknown.content.lines.map((l) => l.productId)).toEqual(["p1"]);
    expect(decideStep(abandoned, treated, first, cartFacts({ inStock: {} }), first.dueAt)).toMatchObject({
      kind: "skip",
      reason: "sold_out",
      rows: [{ channel: "email", skipReason: "sold_out" }],
      next: reminder,
    });
  });

  it("offers the discount in the reminders to price-sensitive customers only", () => {
    const seg = (segment: "price_sensitive" | "vip" | "regular") =>
      cartFacts({ customer: customer({ segment }) });
    const discountOf = (due: DueStep, f: StepFacts) => {
      const r = decideStep(abandoned, treated, due, f, due.dueAt);
      return r.kind === "send" ? r.content.discount : "not sent";
    };
    expect(discountOf(reminder, seg("price_sensitive"))).toEqual({ code: "COMEBACK10", percentOff: 10 });
    expect(discountOf(reminder, seg("vip"))).toBeNull();
    expect(discountOf(reminder, seg("regular"))).toBeNull();
    expect(discountOf(first, seg("price_sensitive"))).toBeNull();
  });

  it("holds a holdout customer out on every step, with the time the message would have gone", () => {
    const held = { ...base, holdout: true };
    expect(decideStep(abandoned, held, first, cartFacts(), first.dueAt)).toMatchObject({
      kind: "skip",
      reason: "holdout",
      rows: [{ channel: "email", holdout: true, skipReason: "holdout", sendAt: d("2026-11-27T11:00:00Z") }],
      next: reminder,
    });
  });

  it("shares the frequency caps with campaigns unless the flow is switched off them", () => {
    const campaignEmail = {
      campaign: "cyber-week-2026:regular",
      channel: "email" as const,
      at: d("2026-11-27T09:00:00Z"),
    };
    const f = cartFacts({ capsHistory: [campaignEmail] });
    const r = decideStep(abandoned, treated, first, f, first.dueAt);
    // email cap 16 h: not before 2026-11-28T01:00Z
    expect(r).toMatchObject({
      kind: "hold",
      reason: "frequency_cap",
      next: { wakeAt: d("2026-11-28T01:00:00Z") },
    });
    if (r.kind !== "hold") throw new Error("held");
    expect(decideStep(abandoned, treated, r.next, f, d("2026-11-28T01:00:00Z"))).toMatchObject({
      kind: "send",
      rows: [{ sendAt: d("2026-11-28T01:00:00Z"), deferredForCap: true }],
      next: { dueAt: d("2026-11-29T01:00:00Z") },
    });
    const exempt = applyFlowSettings("abandoned_checkout", {
      ...DEFAULT_FLOW_SETTINGS.abandoned_checkout,
      countsTowardCaps: false,
    });
    expect(decideStep(exempt, treated, first, f, first.dueAt)).toMatchObject({
      kind: "send",
      rows: [{ sendAt: first.dueAt }],
    });
    // the enrollment's own earlier messages do not cap it
    const own = cartFacts({ capsHistory: [{ ...campaignEmail, campaign: treated.id }] });
    expect(decideStep(abandoned, treated, first, own, first.dueAt).kind).toBe("send");
    // a cap that would hold it more than 24 h skips it
    const monthly = {
      ...SHOP,
      audience: { ...SHOP.audience, caps: { email: 720, sms: 720, webhook: null } },
    };
    expect(decideStep(abandoned, treated, first, { ...f, shop: monthly }, first.dueAt)).toMatchObject({
      kind: "skip",
      reason: "capped",
      rows: [{ channel: "email", skipReason: "capped" }],
    });
  });

  it("exits on unsubscribing from every channel of the flow; one channel left is a skip, not an exit", () => {
    const emailOut = customer({ emailMarketingState: "UNSUBSCRIBED" });
    expect(
      decideStep(abandoned, treated, first, cartFacts({ customer: emailOut }), first.dueAt),
    ).toMatchObject({
      kind: "hold",
      rows: [{ channel: "email", skipReason: "no_consent" }],
    });
    const complained = cartFacts({ suppressions: [{ channel: "all", reason: "complained" }] });
    expect(decideStep(abandoned, treated, first, complained, first.dueAt)).toMatchObject({
      kind: "exit",
      reason: "unsubscribed",
    });
    const bounced = cartFacts({ suppressions: [{ channel: "email", reason: "bounced" }], customer: smsOnly });
    expect(decideStep(abandoned, treated, first, bounced, first.dueAt).kind).toBe("hold"); // SMS at 08:00
  });

  it("exits a disabled flow, and holds a step asked for before it is due", () => {
    const off = applyFlowSettings("abandoned_checkout", {
      ...DEFAULT_FLOW_SETTINGS.abandoned_checkout,
      enabled: false,
    });
    expect(decideStep(off, treated, first, cartFacts(), first.dueAt)).toMatchObject({
      kind: "exit",
      reason: "flow_disabled",
    });
    expect(decideStep(abandoned, treated, first, cartFacts(), d("2026-11-27T10:59:59Z"))).toEqual({
      kind: "hold",
      reason: "not_due",
      rows: [],
      content: null,
      next: first,
    });
  });

  it('"all" channels: the email goes now, the SMS at 08:00, each decided once', () => {
    const all = FlowDefinition.parse({
      ...abandoned,
      steps: abandoned.steps.map((s) => (s.kind === "send" ? { ...s, channelMode: "all" } : s)),
    });
    const r = decideStep(all, treated, first, cartFacts(), first.dueAt);
    expect(r).toMatchObject({
      kind: "hold",
      rows: [{ channel: "email", skipReason: null, sendAt: first.dueAt }],
      next: { wakeAt: d("2026-11-27T13:00:00Z"), decided: ["email"] },
    });
    if (r.kind !== "hold") throw new Error("held");
    expect(decideStep(all, treated, r.next, cartFacts(), d("2026-11-27T13:00:00Z"))).toMatchObject({
      kind: "send",
      rows: [{ channel: "sms", sendAt: d("2026-11-27T13:00:00Z") }],
      next: { index: 3, dueAt: d("2026-11-28T13:00:00Z") },
    });
  });

  it("is deterministic: the same inputs give the same decision", () => {
    const f = cartFacts({ customer: smsOnly });
    expect(decideStep(abandoned, treated, first, f, first.dueAt)).toEqual(
      decideStep(abandoned, treated, first, f, first.dueAt),
    );
  });
});
