import type { Prisma } from "@prisma/client";
import { queueMessages, type QueuedMessage } from "../messaging/queue-messages.server";
import type { DueStep } from "./model";

// A batch of decided steps written in one transaction: every enrollment's next state in one
// statement, fenced on the lease it was claimed under, then the messages of the enrollments whose
// lease still held. A step another worker took over (its lease ran out) writes nothing here: that
// worker decides it again and hands over the same idempotency keys.

export type Finish =
  { status: "waiting"; step: DueStep } | { status: "done" } | { status: "exited"; exitReason: string };

export interface DecidedStep {
  enrollmentId: string;
  /** the lease the step was claimed under, exactly as stored */
  leaseUntil: Date;
  to: Finish;
  messages: readonly QueuedMessage[];
}

type Db = Pick<Prisma.TransactionClient, "$queryRawUnsafe" | "$executeRawUnsafe">;

/** Writes the batch; returns the enrollments whose lease held and how many messages were new. */
export async function storeDecisions(
  db: Db,
  steps: readonly DecidedStep[],
): Promise<{ held: Set<string>; queued: number }> {
  if (steps.length === 0) return { held: new Set(), queued: 0 };
  const rows = steps.map(({ enrollmentId, leaseUntil, to }) => ({
    id: enrollmentId,
    lease: leaseUntil.toISOString(),
    status: to.status,
    waiting: to.status === "waiting",
    exitReason: to.status === "exited" ? to.exitReason : null,
    stepIndex: to.status === "waiting" ? to.step.index : null,
    dueAt: to.status === "waiting" ? to.step.dueAt.toISOString() : null,
    wakeAt: to.status === "waiting" ? to.step.wakeAt.toISOString() : null,
    decided: to.status === "waiting" ? [...to.step.decided] : [],
  }));
  const updated = await db.$queryRawUnsafe<Array<{ id: string }>>(
    `UPDATE "FlowEnrollment" e SET
       status = v.status,
       "exitReason" = CASE WHEN v.waiting THEN e."exitReason" ELSE v."exitReason" END,
       "stepIndex" = CASE WHEN v.waiting THEN v."stepIndex" ELSE e."stepIndex" END,
       "dueAt" = CASE WHEN v.waiting THEN (v."dueAt"::timestamptz AT TIME ZONE 'UTC') ELSE e."dueAt" END,
       "wakeAt" = CASE WHEN v.waiting THEN (v."wakeAt"::timestamptz AT TIME ZONE 'UTC') ELSE NULL END,
       decided = CASE WHEN v.waiting THEN ARRAY(SELECT jsonb_array_elements_text(v.decided)) ELSE e.decided END,
       "leaseUntil" = NULL,
       "updatedAt" = now() AT TIME ZONE 'UTC'
     FROM jsonb_to_recordset($1::jsonb) AS v(id text, lease text, status text, waiting boolean, "exitReason" text,
       "stepIndex" int, "dueAt" text, "wakeAt" text, decided jsonb)
     WHERE e.id = v.id AND e."leaseUntil" = (v.lease::timestamptz AT TIME ZONE 'UTC')
     RETURNING e.id`,
    JSON.stringify(rows),
  );
  const held = new Set(updated.map((u) => u.id));
  const messages = steps.flatMap((s) => (held.has(s.enrollmentId) ? s.messages : []));
  return { held, queued: await queueMessages(db, messages) };
}
