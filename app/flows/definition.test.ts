import { describe, expect, it } from "vitest";
import { BUILT_IN_FLOW_KEYS, BUILT_IN_FLOWS } from "./built-in";
import { describeFlowIssues, parseFlowDefinition, type FlowDefinitionInput } from "./definition";

const base: FlowDefinitionInput = {
  version: 1,
  key: "test_flow",
  name: "Test",
  trigger: { event: "segment_entered", filter: { segment: "lapsed" } },
  steps: [
    { id: "pause", kind: "wait", minutes: 30 },
    { id: "hello", kind: "send", channels: ["email"], template: "test.hello" },
  ],
};

const issuesOf = (input: unknown) => {
  const r = parseFlowDefinition(input);
  if (r.ok) throw new Error("expected issues");
  return r.issues;
};

describe("FlowDefinition", () => {
  it("fills the defaults: enabled, no exits, no re-entry limit, 10% holdout, counts toward caps, no discount", () => {
    const r = parseFlowDefinition(base);
    expect(r.ok && r.flow).toMatchObject({
      enabled: true,
      exitWhen: [],
      reEntry: { minDaysBetween: null },
      holdoutShare: 0.1,
      countsTowardCaps: true,
      discount: { offerTo: [], code: null, percentOff: null },
      steps: [
        { minutes: 30 },
        { channelMode: "first", products: "none", offerDiscount: false, maxProducts: 3 },
      ],
    });
  });

  it("reads the built-in flows back from their JSON unchanged", () => {
    for (const key of BUILT_IN_FLOW_KEYS) {
      const def = BUILT_IN_FLOWS[key].definition;
      expect(parseFlowDefinition(JSON.parse(JSON.stringify(def)))).toEqual({ ok: true, flow: def });
    }
  });

  it("says what is wrong and where", () => {
    expect(issuesOf({ ...base, version: 2 })).toEqual([
      { path: "version", message: "Unsupported flow definition version: this app reads version 1" },
    ]);
    expect(issuesOf({ ...base, trigger: { event: "cart_viewed" } })[0]?.path).toBe("trigger.event");
    expect(issuesOf({ ...base, steps: [{ id: "pause", kind: "wait", minutes: -5 }, base.steps[1]] })).toEqual(
      [{ path: "steps.0.minutes", message: "Wait must be 0 minutes or more" }],
    );
    expect(issuesOf({ ...base, steps: [{ id: "x", kind: "sleep" }] })[0]).toEqual({
      path: "steps.0.kind",
      message: "Step kind must be wait, wait_until, send or branch",
    });
    const nested = {
      ...base,
      steps: [
        {
          id: "check",
          kind: "branch",
          if: { is: "segment_is", segment: "vip" },
          then: [{ id: "a", kind: "send", channels: ["email"], template: "t" }],
          else: [{ id: "b", kind: "send", channels: ["email", "fax"], template: "t" }],
        },
      ],
    };
    expect(issuesOf(nested)).toEqual([
      { path: "steps.0.else.0.channels.1", message: "Channel must be one of email, sms, webhook" },
    ]);
    expect(
      issuesOf({ ...base, steps: [{ id: "w", kind: "wait_until", localTime: "24:00" }, base.steps[1]] })[0]
        ?.path,
    ).toBe("steps.0.localTime");
  });

  it("refuses jumps to unknown or earlier steps, duplicate ids and a flow without a send", () => {
    const branch = (then: unknown) => ({
      ...base,
      steps: [
        ...(base.steps ?? []),
        { id: "check", kind: "branch", if: { is: "has_sms_consent" }, then, else: { goto: "end" } },
      ],
    });
    expect(issuesOf(branch({ goto: "nowhere" }))).toEqual([
      { path: "steps.2.then.goto", message: 'No step has the id "nowhere"' },
    ]);
    expect(issuesOf(branch({ goto: "hello" }))).toEqual([
      {
        path: "steps.2.then.goto",
        message: 'Jumps must go forward: "hello" comes before this branch (a flow must not loop)',
      },
    ]);
    expect(issuesOf(branch([{ id: "hello", kind: "wait", minutes: 1 }]))).toEqual([
      { path: "steps.2.then.0.id", message: 'Step id "hello" is used twice' },
    ]);
    expect(issuesOf(branch(5))).toEqual([
      { path: "steps.2.then", message: 'A branch arm is a list of steps or { "goto": "<step id>" }' },
    ]);
    expect(issuesOf(branch({ goto: 7 }))).toEqual([
      { path: "steps.2.then.goto", message: "goto must be a step id" },
    ]);
    expect(issuesOf({ ...base, steps: [{ id: "pause", kind: "wait", minutes: 1 }] })).toEqual([
      { path: "steps", message: "A flow needs at least one send step" },
    ]);
    expect(
      issuesOf({ ...base, steps: [{ id: "end", kind: "wait", minutes: 1 }, base.steps[1]] })[0]?.path,
    ).toBe("steps.0.id");
  });

  it("checks the parts against each other: exits, cart items, the discount policy", () => {
    expect(
      issuesOf({ ...base, trigger: { event: "order_placed" }, exitWhen: ["order_placed", "segment_left"] }),
    ).toEqual([
      {
        path: "exitWhen.1",
        message: "segment_left needs a segment_entered trigger (which segment would be left?)",
      },
    ]);
    expect(
      issuesOf({
        ...base,
        steps: [{ id: "hello", kind: "send", channels: ["email"], template: "t", products: "cart" }],
      }),
    ).toEqual([{ path: "steps.0.products", message: "Cart items need a checkout_activity trigger" }]);
    expect(issuesOf({ ...base, discount: { offerTo: ["price_sensitive", "vip"], code: "X" } })).toEqual([
      { path: "discount.offerTo.1", message: "VIP customers never get a flow discount: protect margin" },
    ]);
    expect(issuesOf({ ...base, discount: { offerTo: ["price_sensitive"] } })).toEqual([
      { path: "discount.code", message: "A discount offered to a segment needs a code" },
    ]);
    expect(issuesOf({ ...base, holdoutShare: 0.9 })[0]).toEqual({
      path: "holdoutShare",
      message: "Holdout share must be from 0 to 0.5 (e.g. 0.1 for 10%)",
    });
  });

  it("describes every issue on one line", () => {
    expect(
      describeFlowIssues([
        { path: "steps.0.minutes", message: "Wait must be 0 minutes or more" },
        { path: "", message: "Bad" },
      ]),
    ).toBe("steps.0.minutes: Wait must be 0 minutes or more; Bad");
  });
});
