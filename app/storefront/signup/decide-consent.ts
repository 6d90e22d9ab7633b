import type { StorefrontSettings } from "../settings";
import type { SignupRequest } from "./signup-form";

// What a storefront signup changes in Shopify, given what the customer already has. Never a
// downgrade: a subscribed shopper who signs up again stays subscribed at their level. Pure.

export type ConsentChannel = "email" | "sms";
export type MarketingState = "SUBSCRIBED" | "PENDING" | "UNSUBSCRIBED" | "NOT_SUBSCRIBED" | "REDACTED" | "INVALID";
export type OptInLevel = "SINGLE_OPT_IN" | "CONFIRMED_OPT_IN" | "UNKNOWN";

export interface ChannelConsent {
  marketingState: string;
  marketingOptInLevel: string | null;
}

export interface ConsentChange {
  channel: ConsentChannel;
  state: "SUBSCRIBED" | "PENDING";
  optInLevel: "SINGLE_OPT_IN" | "CONFIRMED_OPT_IN";
}

export type SignupOutcome = "pending" | "subscribed" | "already";

export interface SignupDecision {
  changes: ConsentChange[];
  outcome: SignupOutcome;
}

export function decideSignup(
  request: Pick<SignupRequest, "emailConsent" | "smsConsent">,
  current: { email: ChannelConsent | null; sms: ChannelConsent | null },
  settings: StorefrontSettings,
): SignupDecision {
  const changes: ConsentChange[] = [];
  if (request.emailConsent && current.email?.marketingState !== "SUBSCRIBED") {
    // Asked again while pending: the state stays, a new confirmation goes out.
    changes.push(
      settings.doubleOptInEmail
        ? { channel: "email", state: "PENDING", optInLevel: "CONFIRMED_OPT_IN" }
        : { channel: "email", state: "SUBSCRIBED", optInLevel: "SINGLE_OPT_IN" },
    );
  }
  if (request.smsConsent && current.sms?.marketingState !== "SUBSCRIBED") {
    changes.push({ channel: "sms", state: "SUBSCRIBED", optInLevel: "SINGLE_OPT_IN" });
  }
  const outcome: SignupOutcome = changes.some((c) => c.state === "PENDING")
    ? "pending"
    : changes.length > 0
      ? "subscribed"
      : "already";
  return { changes, outcome };
}
