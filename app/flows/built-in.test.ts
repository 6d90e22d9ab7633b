import { describe, expect, it } from "vitest";
import { BUILT_IN_FLOWS } from "./built-in";
import { decideStep } from "./decide";
import type { FlowDefinition } from "./definition";
import { enter } from "./enter";
import type { FlowEvent } from "./model";
import { customer, d, entered, facts, SHOP } from "./test-fixtures";

// The built-in flows besides the abandoned checkout, hand-worked in New York (UTC−5 in late November).

const entry = (flow: FlowDefinition, event: FlowEvent) =>
  entered(
    enter(
      flow,
      event,
      { shop: SHOP, customer: { segment: "regular", timeZone: "America/New_York" } },
      { enrollments: [] },
      event.occurredAt,
    ),
  );

describe("decideStep: the other built-in flows", () => {
  const common = { customerId: "1001", occurredAt: d("2026-11-27T15:00:00Z"), causedByFlow: null };

  it("welcome: the second message only to those who have not ordered", () => {
    const flow = BUILT_IN_FLOWS.welcome.definition;
    const { enrollment, first: welcome } = entry(flow, {
      ...common,
      type: "marketing_consent_granted",
      channel: "email",
    });
    expect(welcome).toMatchObject({ index: 0, dueAt: d("2026-11-27T15:00:00Z") });
    const sent = decideStep(flow, { ...enrollment, holdout: false }, welcome, facts(), welcome.dueAt);
    expect(sent).toMatchObject({ kind: "send", next: { index: 2, dueAt: d("2026-11-30T15:00:00Z") } });
    if (sent.kind !== "send" || !sent.next) throw new Error("sent");
    const branch = sent.next;
    expect(decideStep(flow, enrollment, branch, facts(), branch.dueAt)).toEqual({
      kind: "branch",
      taken: "else",
      next: { index: 3, dueAt: branch.dueAt, wakeAt: branch.dueAt, decided: [] },
    });
    const ordered = facts({
      orders: [{ id: "o1", placedAt: d("2026-11-28T00:00:00Z"), checkoutId: null, productIds: [] }],
    });
    expect(decideStep(flow, enrollment, branch, ordered, branch.dueAt)).toEqual({
      kind: "branch",
      taken: "then",
      next: null,
    });
  });

  it("win-back: email only at 10:00 local, no discount, ends when the customer leaves lapsed", () => {
    const flow = BUILT_IN_FLOWS.win_back.definition;
    const { enrollment, first: due } = entry(flow, {
      ...common,
      type: "segment_entered",
      transitionId: "t1",
      segment: "lapsed",
    });
    // 15:00 UTC is 10:00 in New York: due at once
    expect(due).toMatchObject({ index: 1, dueAt: d("2026-11-27T15:00:00Z") });
    const e = { ...enrollment, holdout: false };
    const lapsed = facts({ customer: customer({ segment: "lapsed" }) });
    expect(decideStep(flow, e, due, lapsed, due.dueAt)).toMatchObject({
      kind: "send",
      rows: [{ channel: "email" }],
      content: { template: "win_back.delivery_promise", discount: null },
    });
    expect(
      decideStep(flow, e, due, facts({ customer: customer({ segment: "recent" }) }), due.dueAt),
    ).toMatchObject({
      kind: "exit",
      reason: "segment_left",
    });
    const out = facts({ customer: customer({ segment: "lapsed", emailMarketingState: "UNSUBSCRIBED" }) });
    expect(decideStep(flow, e, due, out, due.dueAt)).toMatchObject({ kind: "exit", reason: "unsubscribed" });
  });

  it("post-purchase: in-stock products the customer has not bought, 7 days after the order", () => {
    const flow = BUILT_IN_FLOWS.post_purchase_cross_sell.definition;
    const { enrollment, first: due } = entry(flow, { ...common, type: "order_placed", orderId: "o1" });
    expect(due.dueAt).toEqual(d("2026-12-04T15:00:00Z"));
    const e = { ...enrollment, holdout: false };
    const bought = [{ id: "o1", placedAt: d("2026-11-27T15:00:00Z"), checkoutId: null, productIds: ["p1"] }];
    const f = facts({ orders: bought, inStock: { p1: true, p3: true, p4: false, p5: true } });
    expect(decideStep(flow, e, due, f, due.dueAt)).toMatchObject({
      kind: "send",
      content: { productIds: ["p3", "p5"] },
    });
    // the trigger order itself is no reason to stop
    expect(decideStep(flow, e, due, { ...f, inStock: { p1: true } }, due.dueAt)).toMatchObject({
      kind: "skip",
      reason: "no_products",
      next: null,
    });
  });
});
