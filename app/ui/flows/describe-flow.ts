import { BUILT_IN_FLOWS, type BuiltInFlowKey } from "../../flows/built-in";
import type { Condition } from "../../flows/steps";
import { programFor } from "../../flows/program";
import { applyFlowSettings, type FlowSetting } from "../../flows/settings";
import { stepName } from "../../flows/templates";

// A flow in the merchant's words, for the Flows page: what starts it and each step as the shop has
// set it (its own delays). Pure.

export const FLOW_TRIGGERS: Readonly<Record<BuiltInFlowKey, string>> = {
  abandoned_checkout:
    "Starts when a shopper leaves a checkout unfinished. Ends the moment they order, and each message shows only the cart's items still in stock.",
  welcome: "Starts when a customer subscribes to your emails or texts.",
  win_back:
    "Starts when a customer becomes lapsed. Email only, with a delivery promise (when a shipping cut-off is ahead) instead of a discount.",
  vip_recognition: "Starts when a customer becomes a VIP. No discount: a thank-you.",
  post_purchase_cross_sell: "Starts when a customer orders: in-stock products they have not bought yet.",
};

/** 30 → "30 minutes", 60 → "1 hour", 2880 → "2 days", 90 → "1 hour 30 minutes". */
export function formatMinutes(minutes: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (minutes > 0 && minutes % 1440 === 0) return unit(minutes / 1440, "day");
  if (minutes > 0 && minutes % 60 === 0) return unit(minutes / 60, "hour");
  if (minutes > 60) return `${unit(Math.floor(minutes / 60), "hour")} ${unit(minutes % 60, "minute")}`;
  return unit(minutes, "minute");
}

const CHANNEL_WORDS: Readonly<Record<string, string>> = { email: "email", sms: "SMS", webhook: "webhook" };

function condition(c: Condition): string {
  switch (c.is) {
    case "ordered_since_trigger":
      return "they have ordered since";
    case "segment_is":
      return `they are in the ${c.segment.replace(/_/g, "-")} segment`;
    case "has_sms_consent":
      return "they accept texts";
    case "has_email_consent":
      return "they accept emails";
    default: {
      const never: never = c;
      throw new Error(`unknown condition ${String(never)}`);
    }
  }
}

export interface StepLine {
  id: string;
  text: string;
}

/** Each step of the flow as this shop runs it, in order. */
export function describeSteps(key: BuiltInFlowKey, setting: FlowSetting): StepLine[] {
  const flow = applyFlowSettings(key, setting);
  const discount = flow.discount;
  return programFor(flow.steps).map(({ step }): StepLine => {
    switch (step.kind) {
      case "wait":
        return { id: step.id, text: `Wait ${formatMinutes(step.minutes)}` };
      case "wait_until":
        return { id: step.id, text: `Wait until ${step.localTime} on the customer's clock` };
      case "send": {
        const words = step.channels.map((c) => CHANNEL_WORDS[c] ?? c);
        const by =
          words.length === 1 || step.channelMode === "all"
            ? words.join(" and ")
            : `${words.join(" or ")} (the first the customer accepts)`;
        const offer =
          step.offerDiscount && discount.code && discount.offerTo.length > 0
            ? `, with the code ${discount.code} for ${discount.offerTo.map((s) => s.replace(/_/g, "-")).join(", ")} customers`
            : "";
        return { id: step.id, text: `Send "${stepName(step.id)}" by ${by}${offer}` };
      }
      case "branch": {
        const ends = !Array.isArray(step.then) && step.then.goto === "end";
        return {
          id: step.id,
          text: ends ? `Stop if ${condition(step.if)}` : `Go on differently if ${condition(step.if)}`,
        };
      }
      default: {
        const never: never = step;
        throw new Error(`unknown step ${String(never)}`);
      }
    }
  });
}

/** Whether the flow has editable delays, and the abandoned checkout's peak preset. */
export const hasDelays = (key: BuiltInFlowKey) => BUILT_IN_FLOWS[key].delays.length > 0;
