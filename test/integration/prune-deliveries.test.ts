import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pruneDeliveries } from "~/sync/webhooks/prune-deliveries.server";
import { databaseModes, type TestDatabase } from "./helpers/db";

const NOW = new Date("2026-12-20T12:00:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

describe.each(databaseModes)("pruning webhook deliveries ($name)", (mode) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  beforeAll(async () => {
    db = await mode.open();
    prisma = db.prisma;
  });
  afterAll(async () => {
    await db.close();
  });

  it("deletes processed deliveries after 7 days and failed ones after 30, never waiting ones", async () => {
    const rows: Array<[string, string, number]> = [
      ["processed-old", "processed", 7.01],
      ["processed-recent", "processed", 6.9],
      ["failed-old", "failed", 30.01],
      ["failed-recent", "failed", 29],
      ["received-old", "received", 60],
    ];
    await prisma.webhookDelivery.createMany({
      data: rows.map(([id, status, days]) => ({
        id,
        shop: "prune.myshopify.com",
        topic: "orders/create",
        apiVersion: "2026-10",
        receivedAt: daysAgo(days),
        status,
        payload: { id: 1, email: "someone@example.com" },
      })),
    });
    expect(await pruneDeliveries(prisma, NOW)).toEqual({ deleted: 2 });
    const left = await prisma.webhookDelivery.findMany({ orderBy: { id: "asc" }, select: { id: true } });
    expect(left.map((row) => row.id)).toEqual(["failed-recent", "processed-recent", "received-old"]);
    expect(await pruneDeliveries(prisma, NOW)).toEqual({ deleted: 0 });
  });
});
