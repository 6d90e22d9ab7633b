import { describe, expect, it } from "vitest";
import type { Channel, OutboundMessage } from "../channels/types";
import { createMemoryCoordination } from "./coordination";
import type { OutboxRow } from "./message";
import { sendBatch, type SendItem } from "./send-batch.server";

// A batch paced by the channel's limit takes seconds to send; a flow's customer who orders in
// between must not get the rest. The oracle is the clock: at 4 messages a second, the fifth slot
// comes 1 s after the first, long after the order.

const item = (n: number): SendItem => {
  const row: OutboxRow = {
    id: `m${n}`,
    customerId: String(n),
    sendKey: "abandoned_checkout.first",
    segment: "recent",
    channel: "sms",
    timeZone: null,
    attempts: 0,
  };
  const message: OutboundMessage = {
    idempotencyKey: row.id,
    to: `+1555000000${n}`,
    content: { channel: "sms", body: "Your cart is waiting" },
    metadata: { shop: "s.myshopify.com", campaignId: "f_1", customerId: row.customerId },
  };
  return { row, message };
};

function recordingChannel(sent: string[]): Channel {
  return {
    kind: "twilio",
    async send(message) {
      sent.push(message.idempotencyKey);
      return { status: "sent", providerId: `p-${message.idempotencyKey}` };
    },
    testConnection: async () => ({ ok: true, detail: "test channel" }),
    close: async () => undefined,
  };
}

const batch = (sent: string[], withdrawn?: (rows: readonly OutboxRow[]) => Promise<Map<string, string>>) =>
  sendBatch({
    items: [1, 2, 3, 4, 5].map(item),
    channel: recordingChannel(sent),
    rateKey: "s:sms",
    ratePerSecond: 4,
    coordination: createMemoryCoordination(),
    isActive: async () => true,
    budgetMs: 10_000,
    now: () => new Date(),
    random: () => 0.5,
    streak: { count: 0 },
    withdrawn,
    recheckMs: 100,
  });

describe("sendBatch", () => {
  it("looks again while it sends, and skips what was withdrawn meanwhile", async () => {
    const sent: string[] = [];
    const started = Date.now();
    const looked: string[][] = [];
    // Customer 5 orders 300 ms into the batch.
    const result = await batch(sent, async (rows) => {
      looked.push(rows.map((r) => r.id));
      return new Map(Date.now() - started > 300 ? [["m5", "converted"]] : []);
    });
    expect(sent).toEqual(["m1", "m2", "m3", "m4"]);
    expect(result.outcomes.find((o) => o.id === "m5")).toEqual({
      kind: "skipped",
      id: "m5",
      attempts: 0,
      reason: "converted",
    });
    expect(result.outcomes.filter((o) => o.kind === "sent")).toHaveLength(4);
    // Each look asks about the messages not sent yet, never about the ones already out.
    for (const ids of looked) expect(ids).toEqual(["m1", "m2", "m3", "m4", "m5"].slice(5 - ids.length));
    expect(looked.length).toBeGreaterThan(0);
  });

  it("sends everything when nothing is withdrawn, and without a hook at all", async () => {
    const sent: string[] = [];
    await batch(sent, async () => new Map());
    expect(sent).toEqual(["m1", "m2", "m3", "m4", "m5"]);
    const plain: string[] = [];
    await batch(plain);
    expect(plain).toEqual(["m1", "m2", "m3", "m4", "m5"]);
  });
});
