import { describe, expect, it } from "vitest";
import { Limiter } from "../channels/limiter";
import type { Channel, OutboundMessage } from "../channels/types";
import type { Outcome } from "./outbox.server";
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

/** One connection, each send holding it `holdMs`: later messages queue behind the first, as at an SMTP pool. */
function oneConnectionChannel(sent: string[], holdMs: number): Channel {
  const limiter = new Limiter(1);
  return {
    kind: "smtp",
    async send(message, options) {
      const turn = await limiter.runAtTurn(async () => {
        await new Promise((resolve) => setTimeout(resolve, holdMs));
        sent.push(message.idempotencyKey);
      }, options?.atTurn);
      return turn.ran ? { status: "sent", providerId: "p" } : { status: "withdrawn", reason: turn.withdrawn };
    },
    testConnection: async () => ({ ok: true, detail: "test channel" }),
    close: async () => undefined,
  };
}

const batch = (
  sent: string[],
  withdrawn?: (rows: readonly OutboxRow[]) => Promise<Map<string, string>>,
  more: Partial<Parameters<typeof sendBatch>[0]> = {},
) =>
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
    ...more,
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

  it("looks again when a message that waited for a connection gets one", async () => {
    const sent: string[] = [];
    const started = Date.now();
    // All five start at once (40 a second) but share one connection held 150 ms per send; customer
    // 4 orders 250 ms in, while m4 still waits behind m1–m3 (its turn comes at ~450 ms).
    const result = await batch(
      sent,
      async () => new Map(Date.now() - started > 250 ? [["m4", "converted"]] : []),
      { channel: oneConnectionChannel(sent, 150), ratePerSecond: 40 },
    );
    expect(sent).toEqual(["m1", "m2", "m3", "m5"]);
    expect(result.outcomes.find((o) => o.id === "m4")).toMatchObject({
      kind: "skipped",
      reason: "converted",
    });
  });

  it("writes accepted sends while it runs and returns only the rest", async () => {
    const sent: string[] = [];
    const started = Date.now();
    const writes: Array<{ at: number; ids: string[] }> = [];
    let failOnce = true;
    const result = await batch(sent, undefined, {
      recordSent: {
        everyMs: 100,
        write: async (outcomes: readonly Outcome[]) => {
          // the first write fails: what it held is left for the batch's own write
          if (failOnce) {
            failOnce = false;
            throw new Error("database connection lost");
          }
          writes.push({ at: Date.now() - started, ids: outcomes.map((o) => o.id) });
        },
      },
    });
    expect(sent).toEqual(["m1", "m2", "m3", "m4", "m5"]);
    // 4 a second: m5 goes ~1 s after m1, so writes came well before the batch ended
    expect(writes.length).toBeGreaterThanOrEqual(2);
    expect(writes[0]?.at).toBeLessThan(900);
    const written = writes.flatMap((w) => w.ids);
    const returned = result.outcomes.map((o) => o.id);
    // every send recorded exactly once, by the running writes or in the result
    expect([...written, ...returned].sort()).toEqual(["m1", "m2", "m3", "m4", "m5"]);
    expect(returned.length).toBeGreaterThan(0);
  });
});
