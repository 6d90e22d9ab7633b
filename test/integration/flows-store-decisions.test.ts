import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { QueuedMessage } from "~/messaging/queue-messages.server";
import { storeDecisions } from "~/flows/store-decisions.server";
import { databaseModes, type TestDatabase } from "./helpers/db";

// A batch of decided steps is written at once, fenced on each step's lease: a step whose lease
// another worker has since taken writes neither its next state nor its messages.

const SHOP = "store-decisions.myshopify.com";
const NOW = new Date("2026-11-28T12:00:00.000Z");
const LEASE = new Date("2026-11-28T12:00:30.123Z");
const TAKEN = new Date("2026-11-28T12:01:10.456Z");

const enrollment = (id: string, leaseUntil: Date) => ({
  id,
  shop: SHOP,
  flowKey: "abandoned_checkout",
  triggerEntityId: id,
  customerId: 7n,
  triggeredAt: new Date("2026-11-28T10:00:00Z"),
  holdout: false,
  status: "waiting",
  stepIndex: 1,
  dueAt: NOW,
  wakeAt: NOW,
  decided: [],
  leaseUntil,
});

const queued = (id: string, enrollmentId: string): QueuedMessage => ({
  id,
  shop: SHOP,
  sourceId: "f_test",
  sendKey: "abandoned_checkout.first",
  customerId: 7n,
  segment: "recent",
  channel: "email",
  status: "queued",
  skipReason: null,
  sendAt: NOW,
  timeZone: null,
  enrollmentId,
  payload: null,
  countsTowardCaps: true,
});

describe.each(databaseModes)("storeDecisions ($name)", (mode) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  beforeAll(async () => {
    db = await mode.open();
    prisma = db.prisma;
    await prisma.flowEnrollment.createMany({
      data: [enrollment("e-held", LEASE), enrollment("e-taken", TAKEN), enrollment("e-done", LEASE)],
    });
  });
  afterAll(() => db?.close());

  it("writes the steps whose lease held, and only their messages", async () => {
    const next = {
      index: 3,
      dueAt: new Date("2026-11-29T12:00:00Z"),
      wakeAt: new Date("2026-11-29T12:00:00Z"),
      decided: ["email" as const],
    };
    const result = await prisma.$transaction((tx) =>
      storeDecisions(tx, [
        {
          enrollmentId: "e-held",
          leaseUntil: LEASE,
          to: { status: "waiting", step: next },
          messages: [queued("m-held", "e-held")],
        },
        // claimed under LEASE, but another worker took it over (its lease is TAKEN now)
        {
          enrollmentId: "e-taken",
          leaseUntil: LEASE,
          to: { status: "done" },
          messages: [queued("m-taken", "e-taken")],
        },
        {
          enrollmentId: "e-done",
          leaseUntil: LEASE,
          to: { status: "exited", exitReason: "converted" },
          messages: [],
        },
      ]),
    );
    expect([...result.held].sort()).toEqual(["e-done", "e-held"]);
    expect(result.queued).toBe(1);
    const rows = await prisma.flowEnrollment.findMany({ where: { shop: SHOP }, orderBy: { id: "asc" } });
    expect(
      rows.map((r) => ({
        id: r.id,
        status: r.status,
        exitReason: r.exitReason,
        stepIndex: r.stepIndex,
        wakeAt: r.wakeAt,
        decided: r.decided,
        leaseUntil: r.leaseUntil,
      })),
    ).toEqual([
      {
        id: "e-done",
        status: "exited",
        exitReason: "converted",
        stepIndex: 1,
        wakeAt: null,
        decided: [],
        leaseUntil: null,
      },
      {
        id: "e-held",
        status: "waiting",
        exitReason: null,
        stepIndex: 3,
        wakeAt: next.wakeAt,
        decided: ["email"],
        leaseUntil: null,
      },
      {
        id: "e-taken",
        status: "waiting",
        exitReason: null,
        stepIndex: 1,
        wakeAt: NOW,
        decided: [],
        leaseUntil: TAKEN,
      },
    ]);
    expect((await prisma.outboxMessage.findMany({ where: { shop: SHOP } })).map((m) => m.id)).toEqual([
      "m-held",
    ]);
  });

  it("stores a message handed over twice once", async () => {
    await prisma.flowEnrollment.update({ where: { id: "e-held" }, data: { leaseUntil: LEASE } });
    const again = await prisma.$transaction((tx) =>
      storeDecisions(tx, [
        {
          enrollmentId: "e-held",
          leaseUntil: LEASE,
          to: { status: "done" },
          messages: [queued("m-held", "e-held")],
        },
      ]),
    );
    expect(again).toEqual({ held: new Set(["e-held"]), queued: 0 });
    expect(await prisma.outboxMessage.count({ where: { shop: SHOP } })).toBe(1);
  });
});
