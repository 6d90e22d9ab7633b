// What the rehearsal knows after a run: what it sent, what the app stored and what the sinks
// received. The collector fills it; the report and the checks read it.

export interface FactsMessage {
  id: string;
  flowKey: string;
  /** the template key: which step of the flow */
  sendKey: string;
  enrollmentId: string | null;
  customerId: string;
  channel: string;
  status: string;
  skipReason: string | null;
  createdAt: number;
  sentAt: number | null;
  sendAt: number | null;
  /** the zone its local times are read in (the customer's, else the shop's) */
  timeZone: string;
  /** titles of the cart lines and products it shows */
  titles: string[];
  /** acceptances of its key at the provider's sink */
  receipts: number;
  /** why it failed, when it did */
  lastError: string | null;
}

export interface FactsEnrollment {
  id: string;
  flowKey: string;
  customerId: string;
  triggeredAt: number;
  status: string;
  wakeAt: number | null;
  /** when the app stored the enrollment */
  enteredAt?: number;
}

/** A step the rehearsal knows the due time of (it chose the events' times). */
export interface DueStep {
  enrollmentId: string;
  sendKey: string;
  dueAt: number;
  /** the due time moved into the customer's SMS hours */
  smsDueAt: number;
  /** the earliest the app may take it to be due (a later webhook moving it may not be stored yet) */
  earliestAt: number;
}

export interface RehearsalFacts {
  startedAt: number;
  /** when the app's rows were read: steps and messages due `settleMs` before it must be settled */
  endedAt: number;
  settleMs: number;
  answers: ReadonlyArray<{ dueMs: number; ms: number; status: number; attempts: number }>;
  backlog: ReadonlyArray<{ at: number; received: number; done: number }>;
  /** the deliveries applied latest after they were received (or never), latest first */
  slowestDeliveries: SlowDelivery[];
  webhooksNotProcessed: number;
  orderReceipts: ReadonlyArray<{ customerId: string; receivedAt: number }>;
  transitions: ReadonlyArray<{ customerId: string; at: number }>;
  dueSteps: readonly DueStep[];
  messages: readonly FactsMessage[];
  enrollments: readonly FactsEnrollment[];
  /** orders stored by the app: when placed, and when applied (the end of its delivery's transaction) */
  orders: ReadonlyArray<{ customerId: string; placedAt: number; storedAt: number }>;
  /** products sold out during the run: from when the app had stored it */
  soldOut: ReadonlyArray<{ title: string; knownAt: number }>;
  /** per flow: the most messages one enrollment can send */
  maxMessages: Readonly<Record<string, number>>;
  /** flows that end on an order */
  exitOnOrder: readonly string[];
  /** when the providers refused (the injected outage) */
  outages: ReadonlyArray<{ from: number; to: number }>;
}

export interface Violation {
  check: string;
  messageId?: string;
  enrollmentId?: string;
  detail: string;
}

export interface SlowDelivery {
  topic: string;
  receivedAt: string;
  /** received → applied; null when never applied */
  appliedMs: number | null;
  status: string;
  attempts: number;
}
