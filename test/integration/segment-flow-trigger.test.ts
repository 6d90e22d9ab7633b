import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendSegmentChanges } from "~/segments/send-segment-changes.server";
import type { AdminGraphql } from "~/sync/store-overview.server";
import { startEmulator, type Emulator } from "../emulator/index";
import { API_KEY, API_SECRET, installedAdmin } from "../emulator/helpers";
import { databaseModes, type TestDatabase } from "./helpers/db";

// Segment transitions reach Shopify Flow as the rfm-segment-changed trigger: each recent one once
// (the emulator validates flowTriggerReceive against the Admin schema and records it), old ones
// (a backfill's history) never, another shop's never.

const SHOP = "flow-trigger.myshopify.com";
const NOW = new Date("2026-12-01T12:00:00Z");
let emulator: Emulator;
let admin: AdminGraphql;

beforeAll(async () => {
  emulator = await startEmulator({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    appUrl: "http://127.0.0.1:9",
    webhooks: [],
    shops: [{ domain: SHOP, seed: 3, customers: 5, orders: 5, products: 2 }],
  });
  admin = await installedAdmin(emulator, SHOP);
});
afterAll(async () => {
  await emulator.close();
});

describe.each(databaseModes)("segment changes to Shopify Flow ($name)", (mode) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await mode.open();
  });
  afterAll(async () => {
    await db.close();
  });

  it("sends each recent transition once, with the customer and both segments", async () => {
    const before = emulator.flowTriggerCalls(SHOP).length;
    const transition = (
      id: string,
      customerId: bigint,
      fromSegment: string | null,
      toSegment: string,
      hoursAgo: number,
      shop = SHOP,
    ) => ({
      id: `${mode.name}-${id}`,
      shop,
      customerId,
      fromSegment,
      toSegment,
      at: new Date(NOW.getTime() - hoursAgo * 3_600_000),
    });
    await db.prisma.segmentTransition.createMany({
      data: [
        transition("a", 101n, "recent", "vip", 1),
        transition("b", 102n, null, "lapsed", 2),
        transition("old", 103n, "vip", "lapsed", 48),
        transition("other", 104n, "vip", "lapsed", 1, "another.myshopify.com"),
      ],
    });
    const deps = { prisma: db.prisma, admin, now: () => NOW, log: () => undefined };
    expect(await sendSegmentChanges(deps, SHOP)).toEqual({ sent: 2, refused: 0 });
    expect(await sendSegmentChanges(deps, SHOP)).toEqual({ sent: 0, refused: 0 });
    const calls = emulator.flowTriggerCalls(SHOP).slice(before);
    expect(calls.map((c) => c.handle)).toEqual(["rfm-segment-changed", "rfm-segment-changed"]);
    expect(calls.map((c) => c.payload)).toEqual([
      // oldest first
      { customer_id: 102, "From segment": "", "To segment": "lapsed" },
      { customer_id: 101, "From segment": "recent", "To segment": "vip" },
    ]);
    const old = await db.prisma.segmentTransition.findUniqueOrThrow({ where: { id: `${mode.name}-old` } });
    expect(old.flowTriggeredAt).toBeNull();
  });

  it("never sends a transition twice when two jobs of the shop run at once", async () => {
    const before = emulator.flowTriggerCalls(SHOP).length;
    const ids = Array.from({ length: 30 }, (_, i) => 200 + i);
    await db.prisma.segmentTransition.createMany({
      data: ids.map((id, i) => ({
        id: `${mode.name}-together-${id}`,
        shop: SHOP,
        customerId: BigInt(id),
        fromSegment: "recent",
        toSegment: "vip",
        at: new Date(NOW.getTime() - 60_000 + i),
      })),
    });
    const deps = { prisma: db.prisma, admin, now: () => NOW, log: () => undefined };
    const [a, b] = await Promise.all([sendSegmentChanges(deps, SHOP), sendSegmentChanges(deps, SHOP)]);
    expect(a.sent + b.sent).toBe(ids.length);
    const sentTo = emulator
      .flowTriggerCalls(SHOP)
      .slice(before)
      .map((c) => c.payload);
    expect(sentTo.map((p) => p && typeof p === "object" && Reflect.get(p, "customer_id")).sort()).toEqual(
      ids,
    );
  });
});
