import type { SendRecord } from "../messaging/rules/caps";
import {
  ELIGIBILITY_SKIP_REASONS,
  type Channel,
  type ConsentFields,
  type Suppression,
} from "../messaging/rules/channels";
import type { AudienceSettings } from "../messaging/rules/settings";
import type { Segment } from "../segments/rules";

// What the flow decisions read and return. The app fills these from the database and webhooks;
// the replay CLI from files on a virtual clock. Ids are Shopify's numeric ids as strings. Pure.

/** The shop a flow runs in: its domain (ids are scoped by it), clock and shared send rules. */
export interface ShopContext {
  shop: string;
  /** Shopify's `ianaTimezone`: the clock of customers whose own zone is unknown */
  timeZone: string;
  audience: Pick<AudienceSettings, "caps" | "smsQuietHours" | "stateQuietHours">;
}

/** The customer as stored now: consent, segment and where they live. */
export interface FlowCustomer extends ConsentFields {
  id: string;
  segment: Segment | null;
  timeZone: string | null;
  countryCode: string | null;
  provinceCode: string | null;
}

interface EventBase {
  customerId: string | null;
  /** when it happened (for a checkout: its last activity, `updatedAt`), not when we heard of it */
  occurredAt: Date;
  /** the flow whose message led to this event, when known (a recovery link, a reply): it never re-enters that flow */
  causedByFlow: string | null;
}

export type FlowEvent =
  | (EventBase & { type: "checkout_activity"; checkoutId: string; completedAt: Date | null })
  | (EventBase & { type: "marketing_consent_granted"; channel: "email" | "sms" })
  | (EventBase & { type: "segment_entered"; transitionId: string; segment: Segment })
  | (EventBase & { type: "order_placed"; orderId: string });

/** One customer in one flow for one trigger entity (a checkout, an order, a segment change, a consent). */
export interface Enrollment {
  /** enrollmentIdFor(shop, flowKey, triggerEntityId) */
  id: string;
  shop: string;
  flowKey: string;
  triggerEntityId: string;
  customerId: string;
  /** when the triggering event happened: "since the trigger" counts from here */
  triggeredAt: Date;
  /** the segment entered, for segment_entered flows (segment_left compares with it) */
  triggerSegment: Segment | null;
  /** decided once at entry: receives nothing, but walks the steps so lift can be measured */
  holdout: boolean;
}

/** The enrollment's durable timer: the step it waits on. */
export interface DueStep {
  /** index in the flow's program (program.ts) */
  index: number;
  /** when the step is due by the flow's waits: quiet hours and caps do not move it */
  dueAt: Date;
  /** when to decide it: dueAt, or later when it is held (quiet hours, caps, more checkout activity) */
  wakeAt: Date;
  /** channels of this step already decided (sent or skipped) by an earlier call */
  decided: readonly Channel[];
}

export interface OrderFact {
  id: string;
  placedAt: Date;
  /** the checkout it completed, when known */
  checkoutId: string | null;
  productIds: readonly string[];
}

export interface CartLine {
  productId: string;
  variantId: string | null;
  quantity: number;
  title: string | null;
  /** unit price as a decimal string in the shop's currency */
  price: string | null;
}

export interface CheckoutFact {
  id: string;
  /** the latest activity (Shopify's updatedAt) */
  updatedAt: Date;
  completedAt: Date | null;
  recoveryUrl: string | null;
  lines: readonly CartLine[];
}

/** What is re-read right before a step is decided. */
export interface StepFacts {
  customer: FlowCustomer;
  suppressions: readonly Suppression[];
  /** the customer's orders (and any order of the trigger checkout), stored and from the latest webhooks */
  orders: readonly OrderFact[];
  /** the trigger checkout as stored now; null for other triggers */
  checkout: CheckoutFact | null;
  /** product id → can be bought now; a product not listed cannot (deleted, unknown) */
  inStock: Readonly<Record<string, boolean>>;
  /** cross-sell candidates, best first (e.g. best sellers) */
  crossSellProductIds: readonly string[];
  /** the customer's messages sent or planned by campaigns and flows that count toward caps; a
   *  flow's record carries its enrollment id as `campaign` */
  capsHistory: readonly SendRecord[];
  shop: ShopContext;
}

export const EXIT_REASONS = ["converted", "unsubscribed", "segment_left", "flow_disabled"] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];

export const FLOW_SKIP_REASONS = [
  ...EXIT_REASONS,
  ...ELIGIBILITY_SKIP_REASONS,
  "capped",
  "holdout",
  "sold_out",
  "no_products",
] as const;
export type FlowSkipReason = (typeof FLOW_SKIP_REASONS)[number];

/** One channel of one step for one enrollment: a message, or why there is none. */
export interface FlowRow {
  flowKey: string;
  stepIndex: number;
  stepId: string;
  enrollmentId: string;
  triggerEntityId: string;
  customerId: string;
  channel: Channel;
  holdout: boolean;
  /** stepMessageKey(…): the message's idempotency key */
  messageKey: string;
  dueAt: Date;
  /** when it goes out; for a holdout row, when it would have; null for other skips */
  sendAt: Date | null;
  deferredForQuietHours: boolean;
  deferredForCap: boolean;
  skipReason: FlowSkipReason | null;
}

export interface DiscountOffer {
  code: string;
  percentOff: number | null;
}

/** What a send step's message shows, for every channel of the step. */
export interface MessageContent {
  template: string;
  /** cart lines still in stock (sold-out ones dropped) */
  lines: readonly CartLine[];
  soldOutLinesDropped: number;
  /** cross-sell: in-stock products the customer has not bought */
  productIds: readonly string[];
  discount: DiscountOffer | null;
  recoveryUrl: string | null;
}
