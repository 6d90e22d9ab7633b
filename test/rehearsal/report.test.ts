import { describe, expect, it } from "vitest";
import { computeReport, failedChecks, localMinute, type FactsMessage, type RehearsalFacts } from "./report";

// One hand-worked run: each check that must be zero is broken exactly once (or twice for "lost"),
// and the figures are worked out by hand below.

const T0 = Date.UTC(2026, 11, 6, 15, 0); // 10:00 in New York
const s = (seconds: number) => T0 + seconds * 1_000;
const NY = "America/New_York";

const message = (over: Partial<FactsMessage> & Pick<FactsMessage, "id">): FactsMessage => ({
  flowKey: "abandoned_checkout",
  sendKey: "abandoned_checkout.first",
  enrollmentId: "e1",
  customerId: "1",
  channel: "email",
  status: "sent",
  skipReason: null,
  createdAt: s(61),
  sentAt: s(62),
  sendAt: s(61),
  timeZone: NY,
  titles: [],
  receipts: 1,
  lastError: null,
  ...over,
});

const facts: RehearsalFacts = {
  startedAt: T0,
  endedAt: s(300),
  settleMs: 60_000, // settled steps and messages: due before s(240)
  answers: [
    { dueMs: s(0), ms: 5, status: 200, attempts: 1 },
    { dueMs: s(0.5), ms: 15, status: 200, attempts: 2 },
    { dueMs: s(90), ms: 10, status: 200, attempts: 1 },
  ],
  slowestDeliveries: [
    {
      topic: "customers/update",
      receivedAt: new Date(s(1)).toISOString(),
      appliedMs: 700,
      status: "processed",
      attempts: 1,
    },
  ],
  backlog: [
    { at: s(0), received: 2, done: 0 },
    { at: s(1), received: 3, done: 3 },
  ],
  webhooksNotProcessed: 0,
  orderReceipts: [{ customerId: "4", receivedAt: s(10) }],
  transitions: [{ customerId: "4", at: s(10.5) }],
  dueSteps: [
    {
      enrollmentId: "e1",
      sendKey: "abandoned_checkout.first",
      dueAt: s(60),
      smsDueAt: s(60),
      earliestAt: s(60),
    },
    {
      enrollmentId: "e4",
      sendKey: "abandoned_checkout.first",
      dueAt: s(4),
      smsDueAt: s(4),
      earliestAt: s(4),
    },
    {
      enrollmentId: "e8",
      sendKey: "post_purchase.cross_sell",
      dueAt: s(7 * 86_400),
      smsDueAt: s(7 * 86_400),
      earliestAt: s(7 * 86_400),
    },
  ],
  messages: [
    // on time: decided 1 s and sent 2 s after due
    message({ id: "m1", titles: ["Scarf"] }),
    // two receipts of one key at the sink
    message({ id: "m2", enrollmentId: "e2", customerId: "2", receipts: 2 }),
    // queued since s(100) and never sent: lost
    message({
      id: "m3",
      enrollmentId: "e3",
      customerId: "3",
      status: "queued",
      sentAt: null,
      sendAt: s(100),
      createdAt: s(100),
    }),
    // decided at s(5), the order stored at s(11), sent at s(12): sent after conversion
    message({ id: "m4", enrollmentId: "e4", customerId: "4", createdAt: s(5), sentAt: s(15) }),
    // decided at s(45), the order stored at s(50), sent at s(51): in the sender's hands, reported only
    message({ id: "m12", enrollmentId: "e12", customerId: "12", createdAt: s(45), sentAt: s(51) }),
    // decided at s(30) though "Mug" was known sold out at s(20)
    message({
      id: "m5",
      enrollmentId: "e5",
      customerId: "5",
      titles: ["Scarf", "Mug"],
      createdAt: s(30),
      sentAt: s(31),
    }),
    // an SMS at 03:00 in New York
    message({
      id: "m6",
      enrollmentId: "e6",
      customerId: "6",
      channel: "sms",
      createdAt: s(-7 * 3600),
      sentAt: s(-7 * 3600),
    }),
    // three welcome messages to one customer, whose flow sends at most two
    ...["m7a", "m7b", "m7c"].map((id) =>
      message({ id, flowKey: "welcome", sendKey: "welcome.first", enrollmentId: "e7", customerId: "7" }),
    ),
    // a cross-sell decided seven days early
    message({
      id: "m8",
      flowKey: "post_purchase_cross_sell",
      sendKey: "post_purchase.cross_sell",
      enrollmentId: "e8",
      customerId: "8",
      status: "skipped",
      skipReason: "no_consent",
      sentAt: null,
      createdAt: s(1),
    }),
    // an exit: not a lateness, not early
    message({
      id: "m9",
      enrollmentId: "e4",
      customerId: "4",
      channel: "sms",
      status: "skipped",
      skipReason: "converted",
      sentAt: null,
      createdAt: s(11),
    }),
    message({
      id: "m10",
      flowKey: "welcome",
      sendKey: "welcome.first",
      enrollmentId: "e10",
      customerId: "10",
      status: "failed",
      sentAt: null,
      lastError: "550 mailbox unavailable",
    }),
  ],
  enrollments: [
    {
      id: "e12",
      flowKey: "abandoned_checkout",
      customerId: "12",
      triggeredAt: s(-900),
      status: "exited",
      wakeAt: null,
    },
    {
      id: "e1",
      flowKey: "abandoned_checkout",
      customerId: "1",
      triggeredAt: s(-900),
      status: "waiting",
      wakeAt: s(3600),
    },
    {
      id: "e4",
      flowKey: "abandoned_checkout",
      customerId: "4",
      triggeredAt: s(-900),
      status: "exited",
      wakeAt: null,
    },
    // due at s(100), still waiting at the end: lost
    {
      id: "e9",
      flowKey: "abandoned_checkout",
      customerId: "9",
      triggeredAt: s(-900),
      status: "waiting",
      wakeAt: s(100),
    },
    // due at s(280): within the settling minute, not lost yet
    {
      id: "e11",
      flowKey: "abandoned_checkout",
      customerId: "11",
      triggeredAt: s(-900),
      status: "waiting",
      wakeAt: s(280),
    },
  ],
  orders: [
    { customerId: "4", placedAt: s(10), storedAt: s(11) },
    { customerId: "12", placedAt: s(49), storedAt: s(50) },
  ],
  soldOut: [{ title: "Mug", knownAt: s(20) }],
  maxMessages: { abandoned_checkout: 3, welcome: 2, post_purchase_cross_sell: 1 },
  exitOnOrder: ["abandoned_checkout", "win_back"],
  // the providers refused from s(3) to s(5): e4 came due then
  outages: [{ from: s(3), to: s(5) }],
};

describe("computeReport", () => {
  const r = computeReport(facts);

  it("counts each broken check", () => {
    expect(r.checks).toEqual({
      lost: { total: 2, webhooks: 0, dueStepsNotDecided: 1, messagesNotSent: 1 },
      duplicates: 1,
      sendsAfterConversion: { total: 2, decidedAfter: 0, sentAfterTheLastLook: 1, inFlight: 1 },
      customersInLoops: 1,
      soldOutRecommended: { total: 1, decidedAfter: 1, sentAfterTheLastLook: 0, inFlight: 0 },
      smsOutsideHours: 1,
      decidedEarly: 1,
    });
    expect(failedChecks(r)).toEqual([
      "lost: 2",
      "duplicates: 1",
      "sendsAfterConversion: 1",
      "customersInLoops: 1",
      "soldOutRecommended: 1",
      "smsOutsideHours: 1",
      "decidedEarly: 1",
    ]);
    expect(r.violations.map((v) => v.messageId ?? v.enrollmentId)).toEqual(
      ["e9", "m3", "m2", "m4", "m12", "welcome", "m5", "m6", "m8"].map((x) =>
        x === "welcome" ? undefined : x,
      ),
    );
  });

  it("works out the figures", () => {
    expect(r.webhooks).toEqual({
      answered: 3,
      non200: 0,
      retried: 1,
      // two due within the same minute, the third 90 s later
      busiestMinutePerSecond: Math.round((2 / 60) * 10) / 10,
      answerMs: { count: 3, p50: 10, p99: 15, max: 15 },
    });
    // s(0): all 2 done by s(1); s(1): 3 done at once
    expect(r.queueLagMs).toEqual({ count: 2, p50: 0, p99: 1_000, max: 1_000 });
    expect(r.segmentFreshnessMs).toEqual({
      count: 1,
      p50: 500,
      p99: 500,
      max: 500,
      ordersThatMovedASegment: 1,
    });
    // e1: sent 2 s after due; e4: decided 1 s after due, sent 11 s after; e8 is due after the run
    expect(r.stepLatenessMs).toEqual({
      count: 2,
      p50: 2_000,
      p99: 11_000,
      max: 11_000,
      steps: 2,
      notMeasured: 0,
    });
    expect(r.stepLatenessOutsideOutagesMs).toEqual({ count: 1, p50: 2_000, p99: 2_000, max: 2_000 });
    // e4 waited from s(4) to s(15), of which s(4)–s(5) while the providers refused
    expect(r.stepLatenessOwnMs).toEqual({ count: 2, p50: 2_000, p99: 10_000, max: 10_000 });
    expect(r.decisionLatenessMs).toEqual({ count: 2, p50: 1_000, p99: 1_000, max: 1_000 });
    expect(r.target).toEqual({ stepLatenessP99Ms: 60_000, met: true });
    expect(r.messages.byStatus).toEqual({ sent: 9, queued: 1, skipped: 2, failed: 1 });
    expect(r.messages.skippedByReason).toEqual({ no_consent: 1, converted: 1 });
    expect(r.messages.failedBecause).toEqual({ "550 mailbox unavailable": 1 });
    expect(r.messages.byFlow.welcome).toEqual({ sent: 3, failed: 1 });
  });

  it("a clean run passes", () => {
    const clean = computeReport({
      ...facts,
      messages: [message({ id: "m1" })],
      enrollments: [],
      orders: [],
      soldOut: [],
    });
    expect(failedChecks(clean)).toEqual([]);
    expect(clean.target.met).toBe(true);
    expect(computeReport({ ...facts, messages: [message({ id: "m1", sentAt: s(121) })] }).target.met).toBe(
      false,
    );
  });
});

describe("localMinute", () => {
  it("reads the wall clock of the zone", () => {
    expect(localMinute(T0, NY)).toBe(10 * 60);
    expect(localMinute(Date.UTC(2026, 6, 1, 12, 30), NY)).toBe(8 * 60 + 30); // summer time
    expect(localMinute(T0, "Asia/Kolkata")).toBe(20 * 60 + 30);
  });
});
