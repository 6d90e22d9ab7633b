import { z } from "zod";
import type { RawQuery } from "../../db/sql";
import { aboutRedactedCustomer, withoutPersonalData } from "../compliance/redaction-sql";
import { isComplianceTopic } from "./payloads";
import { storableJson } from "./storable-json";
import type { VerifiedDelivery } from "./verify-delivery.server";

// Records verified deliveries durably before they are answered, in batches: every delivery that
// arrives while one batch is being written joins the next, so at peak a thousand deliveries a
// second cost a few statements, not a thousand (group commit, done by the app). Each delivery is
// still answered only after its own row is committed and its job queued.

export type RecordOutcome = "queued" | "duplicate" | "not_installed";

export interface DeliveryRecorder {
  record(delivery: VerifiedDelivery): Promise<RecordOutcome>;
}

export interface DeliveryRecorderDeps {
  /** the app's intakeDb() (a pool of its own on PostgreSQL), or a Prisma client */
  db: RawQuery;
  /** Queues processing of these deliveries; repeated ids must be no-ops. */
  enqueue: (webhookIds: string[]) => Promise<void>;
  maxBatch?: number;
  /**
   * How long a batch waits for more deliveries before it is written (default 2 ms): at peak, a
   * few ms gather several times more deliveries into one INSERT and one queued job.
   */
  lingerMs?: number;
  /**
   * Batches written at once (default 3, the intake pool's connections): while one waits for its commit and its job, the deliveries
   * arriving meanwhile are written beside it instead of waiting for it.
   */
  maxInFlight?: number;
}

interface Waiter {
  delivery: VerifiedDelivery;
  resolve: (outcome: RecordOutcome) => void;
  reject: (error: unknown) => void;
}

const Row = z.object({
  id: z.string(),
  accepted: z.boolean(),
  inserted: z.boolean(),
  existingShop: z.string().nullable(),
  existingStatus: z.string().nullable(),
});
type Row = z.infer<typeof Row>;

// Stored only for shops with an offline session (installed); compliance topics and app/uninstalled
// are stored regardless, since they arrive after the sessions are gone. A delivery about a customer
// redacted since it was triggered is stored without personal data (it is not applied either).
const REDACTED = aboutRedactedCustomer({
  shop: "a.shop",
  payload: "a.payload",
  topic: "a.topic",
  triggeredAt: `a."triggeredAt"`,
});
const RECORD_SQL = `
  WITH input AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb)
      AS t(id text, shop text, topic text, "apiVersion" text, "triggeredAt" timestamp, always boolean, payload jsonb)
  ), accepted AS (
    SELECT i.* FROM input i
    WHERE i.always OR EXISTS (SELECT 1 FROM "Session" s WHERE s.id = 'offline_' || i.shop)
  ), inserted AS (
    INSERT INTO "WebhookDelivery" (id, shop, topic, "apiVersion", "triggeredAt", "receivedAt", status, attempts, payload)
    SELECT id, shop, topic, "apiVersion", "triggeredAt", now(), 'received', 0,
      CASE WHEN ${REDACTED} THEN ${withoutPersonalData("a.payload")} ELSE a.payload END
    FROM accepted a
    ON CONFLICT (id) DO NOTHING
    RETURNING id
  )
  SELECT i.id,
    EXISTS (SELECT 1 FROM accepted a WHERE a.id = i.id) AS accepted,
    EXISTS (SELECT 1 FROM inserted n WHERE n.id = i.id) AS inserted,
    d.shop AS "existingShop", d.status AS "existingStatus"
  FROM input i LEFT JOIN "WebhookDelivery" d ON d.id = i.id`;

export function createDeliveryRecorder(deps: DeliveryRecorderDeps): DeliveryRecorder {
  const maxBatch = deps.maxBatch ?? 500;
  const lingerMs = deps.lingerMs ?? 2;
  const maxInFlight = deps.maxInFlight ?? 3;
  let pending: Waiter[] = [];
  let gathering = false;
  let inFlight = 0;

  function schedule() {
    if (gathering || inFlight >= maxInFlight || pending.length === 0) return;
    gathering = true;
    // Not a microtask: requests already read from their sockets, and those arriving meanwhile,
    // join this batch.
    const write = () => {
      gathering = false;
      const batch = pending.slice(0, maxBatch);
      pending = pending.slice(batch.length);
      inFlight++;
      void flush(deps, batch).finally(() => {
        inFlight--;
        schedule();
      });
      schedule();
    };
    if (lingerMs > 0 && pending.length < maxBatch) setTimeout(write, lingerMs);
    else setImmediate(write);
  }

  return {
    record(delivery) {
      return new Promise<RecordOutcome>((resolve, reject) => {
        pending.push({ delivery, resolve, reject });
        schedule();
      });
    },
  };
}

async function flush(deps: DeliveryRecorderDeps, batch: Waiter[]): Promise<void> {
  // One row per webhook id; redeliveries inside the batch share the first one's fate.
  const byId = new Map<string, Waiter[]>();
  for (const waiter of batch) {
    const same = byId.get(waiter.delivery.webhookId);
    if (same) same.push(waiter);
    else byId.set(waiter.delivery.webhookId, [waiter]);
  }
  const firsts = [...byId.values()].map((waiters) => waiters[0]!.delivery);
  let rows: Map<string, Row>;
  try {
    rows = await insert(deps, firsts);
  } catch {
    // One bad delivery (a payload PostgreSQL will not store) must not fail the others with it.
    if (firsts.length > 1) {
      await Promise.all(firsts.map((delivery) => flush(deps, byId.get(delivery.webhookId) ?? [])));
      return;
    }
    rows = await insert(deps, firsts).catch((error: unknown) => {
      for (const waiter of batch) waiter.reject(error);
      return new Map<string, Row>();
    });
    if (rows.size === 0) return;
  }

  // A delivery stored but not yet processed is queued (again): that recovers one whose first
  // enqueue was lost, and the job id (the webhook id) keeps it from running twice.
  const toQueue = new Set<string>();
  const outcomes = batch.map((waiter) => {
    const row = rows.get(waiter.delivery.webhookId);
    const first = byId.get(waiter.delivery.webhookId)?.[0] ?? waiter;
    const outcome = outcomeOf(waiter.delivery, row, first === waiter, first.delivery.shop);
    if (!(outcome instanceof Error) && row?.accepted && (row.inserted || row.existingStatus === "received")) {
      toQueue.add(waiter.delivery.webhookId);
    }
    return { waiter, outcome };
  });
  let queueError: unknown = null;
  try {
    await deps.enqueue([...toQueue]);
  } catch (error) {
    // Not answered 200, so Shopify delivers again and the stored row is queued then.
    queueError = error;
  }
  for (const { waiter, outcome } of outcomes) {
    if (outcome instanceof Error) waiter.reject(outcome);
    else if (queueError !== null && toQueue.has(waiter.delivery.webhookId)) waiter.reject(queueError);
    else waiter.resolve(outcome);
  }
}

function outcomeOf(
  delivery: VerifiedDelivery,
  row: Row | undefined,
  firstInBatch: boolean,
  firstShop: string,
): RecordOutcome | Error {
  if (!row) return new Error(`webhook ${delivery.webhookId}: no result from the delivery insert`);
  const storedShop = row.inserted ? firstShop : row.existingShop;
  // A webhook id is Shopify's; one claimed by another shop is not a redelivery of this one.
  if (storedShop !== null && storedShop !== delivery.shop) {
    return new Error(`webhook id ${delivery.webhookId} already used by another shop`);
  }
  if (!row.accepted) return "not_installed";
  return row.inserted && firstInBatch ? "queued" : "duplicate";
}

async function insert(deps: DeliveryRecorderDeps, deliveries: VerifiedDelivery[]): Promise<Map<string, Row>> {
  // The bodies are verified JSON: they are spliced in as they came, never parsed and re-serialized,
  // save the escapes jsonb cannot hold (storable-json.ts).
  const param = `[${deliveries
    .map(
      (d) =>
        `{"id":${JSON.stringify(d.webhookId)},"shop":${JSON.stringify(d.shop)},"topic":${JSON.stringify(d.topic)},` +
        `"apiVersion":${JSON.stringify(d.apiVersion)},"triggeredAt":${JSON.stringify(d.triggeredAt)},` +
        `"always":${isComplianceTopic(d.topic) || d.topic === "app/uninstalled"},"payload":${storableJson(d.body).text}}`,
    )
    .join(",")}]`;
  const result = z.array(Row).parse(await deps.db.$queryRawUnsafe(RECORD_SQL, param));
  return new Map(result.map((row) => [row.id, row]));
}
