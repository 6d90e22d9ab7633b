import { FlowDefinition, type FlowDefinitionInput } from "./definition";

// The five flows every shop gets, as data with their default settings. A wait counts from the
// moment the step before it was due to go out (or from the trigger), so the abandoned checkout's
// reminders come 24 h and 72 h after its first message. Pure.

export const BUILT_IN_FLOW_KEYS = [
  "abandoned_checkout",
  "welcome",
  "win_back",
  "vip_recognition",
  "post_purchase_cross_sell",
] as const;
export type BuiltInFlowKey = (typeof BUILT_IN_FLOW_KEYS)[number];

/** A wait the merchant may change, in minutes, within bounds. */
export interface EditableDelay {
  stepId: string;
  label: string;
  min: number;
  max: number;
  default: number;
}

export interface BuiltInFlow {
  definition: FlowDefinition;
  delays: readonly EditableDelay[];
}

const HOUR = 60;
const DAY = 24 * HOUR;

const abandonedCheckout: FlowDefinitionInput = {
  version: 1,
  key: "abandoned_checkout",
  name: "Abandoned checkout",
  trigger: { event: "checkout_activity" },
  steps: [
    { id: "first_message_wait", kind: "wait", minutes: 60 },
    {
      id: "first_message",
      kind: "send",
      channels: ["email", "sms"],
      template: "abandoned_checkout.first",
      products: "cart",
    },
    { id: "first_reminder_wait", kind: "wait", minutes: DAY },
    {
      id: "first_reminder",
      kind: "send",
      channels: ["email", "sms"],
      template: "abandoned_checkout.reminder",
      products: "cart",
      offerDiscount: true,
    },
    { id: "last_reminder_wait", kind: "wait", minutes: 2 * DAY },
    {
      id: "last_reminder",
      kind: "send",
      channels: ["email", "sms"],
      template: "abandoned_checkout.last",
      products: "cart",
      offerDiscount: true,
    },
  ],
  exitWhen: ["order_placed", "unsubscribed"],
  // A shopper who abandons checkout after checkout in one week hears about the first one only.
  reEntry: { minDaysBetween: 7 },
  discount: { offerTo: ["price_sensitive"], code: "COMEBACK10", percentOff: 10 },
};

const welcome: FlowDefinitionInput = {
  version: 1,
  key: "welcome",
  name: "Welcome",
  trigger: { event: "marketing_consent_granted", filter: { channels: ["email", "sms"] } },
  steps: [
    { id: "welcome", kind: "send", channels: ["email", "sms"], template: "welcome.first" },
    { id: "second_welcome_wait", kind: "wait", minutes: 3 * DAY },
    {
      id: "ordered_yet",
      kind: "branch",
      if: { is: "ordered_since_trigger" },
      then: { goto: "end" },
      else: [
        {
          id: "second_welcome",
          kind: "send",
          channels: ["email", "sms"],
          template: "welcome.best_sellers",
          products: "cross_sell",
        },
      ],
    },
  ],
  exitWhen: ["unsubscribed"],
};

const winBack: FlowDefinitionInput = {
  version: 1,
  key: "win_back",
  name: "Win-back",
  trigger: { event: "segment_entered", filter: { segment: "lapsed" } },
  steps: [
    { id: "morning", kind: "wait_until", localTime: "10:00" },
    { id: "delivery_promise", kind: "send", channels: ["email"], template: "win_back.delivery_promise" },
    { id: "reminder_wait", kind: "wait", minutes: 7 * DAY },
    { id: "reminder", kind: "send", channels: ["email"], template: "win_back.reminder" },
  ],
  exitWhen: ["order_placed", "unsubscribed", "segment_left"],
  reEntry: { minDaysBetween: 90 },
  // Lapsed customers come back for a delivery promise, not a discount.
  discount: { offerTo: [] },
};

const vipRecognition: FlowDefinitionInput = {
  version: 1,
  key: "vip_recognition",
  name: "VIP recognition",
  trigger: { event: "segment_entered", filter: { segment: "vip" } },
  steps: [
    { id: "morning", kind: "wait_until", localTime: "10:00" },
    { id: "thank_you", kind: "send", channels: ["email", "sms"], template: "vip_recognition.thank_you" },
  ],
  exitWhen: ["unsubscribed", "segment_left"],
  reEntry: { minDaysBetween: 365 },
};

const postPurchase: FlowDefinitionInput = {
  version: 1,
  key: "post_purchase_cross_sell",
  name: "Post-purchase cross-sell",
  trigger: { event: "order_placed" },
  steps: [
    { id: "cross_sell_wait", kind: "wait", minutes: 7 * DAY },
    {
      id: "cross_sell",
      kind: "send",
      channels: ["email"],
      template: "post_purchase.cross_sell",
      products: "cross_sell",
    },
  ],
  exitWhen: ["unsubscribed"],
  reEntry: { minDaysBetween: 14 },
};

const delay = (
  stepId: string,
  label: string,
  min: number,
  max: number,
  byDefault: number,
): EditableDelay => ({
  stepId,
  label,
  min,
  max,
  default: byDefault,
});

export const BUILT_IN_FLOWS: Readonly<Record<BuiltInFlowKey, BuiltInFlow>> = Object.freeze({
  abandoned_checkout: {
    definition: FlowDefinition.parse(abandonedCheckout),
    delays: [
      delay("first_message_wait", "First message, after the last checkout activity", 15, DAY, 60),
      delay("first_reminder_wait", "First reminder, after the first message", 6 * HOUR, 3 * DAY, DAY),
      delay("last_reminder_wait", "Last reminder, after the first reminder", DAY, 7 * DAY, 2 * DAY),
    ],
  },
  welcome: {
    definition: FlowDefinition.parse(welcome),
    delays: [delay("second_welcome_wait", "Second welcome, after the first", DAY, 14 * DAY, 3 * DAY)],
  },
  win_back: {
    definition: FlowDefinition.parse(winBack),
    delays: [delay("reminder_wait", "Reminder, after the first message", 2 * DAY, 30 * DAY, 7 * DAY)],
  },
  vip_recognition: { definition: FlowDefinition.parse(vipRecognition), delays: [] },
  post_purchase_cross_sell: {
    definition: FlowDefinition.parse(postPurchase),
    delays: [delay("cross_sell_wait", "Cross-sell, after the order", DAY, 30 * DAY, 7 * DAY)],
  },
});

/** The abandoned checkout's first message in the peak weeks: sooner, while the cart is on their mind. */
export const PEAK_FIRST_MESSAGE_MINUTES = 30;
