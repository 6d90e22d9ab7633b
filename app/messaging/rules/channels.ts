// Which channels may carry a campaign to one customer (issue 5). Pure.

export const CHANNELS = ["email", "sms", "webhook"] as const;
export type Channel = (typeof CHANNELS)[number];

/** "first": the first eligible channel of the campaign's order; "all": every eligible one. */
export const CHANNEL_MODES = ["first", "all"] as const;
export type ChannelMode = (typeof CHANNEL_MODES)[number];

export const SUPPRESSION_REASONS = ["unsubscribed", "bounced", "complained"] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** A local suppression: ours, recorded before Shopify's consent catches up (or for bounces it never sees). */
export interface Suppression {
  channel: Channel | "all";
  reason: SuppressionReason;
}

export const ELIGIBILITY_SKIP_REASONS = [
  "no_consent",
  "no_address",
  "suppressed_unsubscribed",
  "suppressed_bounced",
  "suppressed_complained",
] as const;
export type EligibilitySkipReason = (typeof ELIGIBILITY_SKIP_REASONS)[number];

/** The stored customer fields eligibility reads. */
export interface ConsentFields {
  email: string | null;
  phone: string | null;
  /** Shopify's `emailMarketingConsent.marketingState`: SUBSCRIBED, NOT_SUBSCRIBED, UNSUBSCRIBED, PENDING, … */
  emailMarketingState: string | null;
  smsMarketingState: string | null;
}

export interface ChannelOrder {
  /** The merchant's order of preference; repeats are ignored. */
  channels: readonly Channel[];
  channelMode: ChannelMode;
}

export interface ChannelDecision {
  channel: Channel;
  skipReason: EligibilitySkipReason | null;
}

// Only SUBSCRIBED is consent: PENDING (double opt-in unconfirmed), NOT_SUBSCRIBED, UNSUBSCRIBED,
// REDACTED, INVALID, unknown values and null all mean no.
const SUBSCRIBED = "SUBSCRIBED";

// The most serious reason is reported when several apply.
const SEVERITY: readonly SuppressionReason[] = ["complained", "bounced", "unsubscribed"];

function suppressionSkip(reason: SuppressionReason): EligibilitySkipReason {
  switch (reason) {
    case "unsubscribed":
      return "suppressed_unsubscribed";
    case "bounced":
      return "suppressed_bounced";
    case "complained":
      return "suppressed_complained";
    default: {
      const never: never = reason;
      throw new Error(`unknown suppression reason ${String(never)}`);
    }
  }
}

function suppressed(channel: Channel, suppressions: readonly Suppression[]): EligibilitySkipReason | null {
  const reasons = new Set(
    suppressions.filter((s) => s.channel === channel || s.channel === "all").map((s) => s.reason),
  );
  const worst = SEVERITY.find((r) => reasons.has(r));
  return worst ? suppressionSkip(worst) : null;
}

const present = (v: string | null): boolean => v !== null && v.trim() !== "";

/** Shopify's consent, then our suppressions; an address is checked after both. */
function consented(
  consent: string | null,
  channel: "email" | "sms",
  suppressions: readonly Suppression[],
): EligibilitySkipReason | null {
  return consent === SUBSCRIBED ? suppressed(channel, suppressions) : "no_consent";
}

/**
 * Why `channel` may not carry marketing to this customer, or null when it may.
 * Webhook (a JSON POST to the merchant's own endpoint, which then messages the customer by its own
 * means) needs no address of ours, but it is still marketing: it is allowed when email or SMS
 * marketing is, and never when the customer is suppressed on the webhook or on every channel.
 */
export function channelSkipReason(
  channel: Channel,
  customer: ConsentFields,
  suppressions: readonly Suppression[],
): EligibilitySkipReason | null {
  switch (channel) {
    case "email":
      return (
        consented(customer.emailMarketingState, "email", suppressions) ??
        (present(customer.email) ? null : "no_address")
      );
    case "sms":
      return (
        consented(customer.smsMarketingState, "sms", suppressions) ??
        (present(customer.phone) ? null : "no_address")
      );
    case "webhook": {
      const own = suppressed("webhook", suppressions);
      if (own) return own;
      const email = consented(customer.emailMarketingState, "email", suppressions);
      const sms = consented(customer.smsMarketingState, "sms", suppressions);
      if (email === null || sms === null) return null;
      return email === "no_consent" ? sms : email; // a suppression says more than a missing consent
    }
    default: {
      const never: never = channel;
      throw new Error(`unknown channel ${String(never)}`);
    }
  }
}

/**
 * The channels considered for one customer, in the campaign's order, each with its skip reason.
 * "first" stops at the first eligible channel (later channels are not considered); "all" looks at
 * every channel. Frequency caps and quiet hours come later and never move a message to another channel.
 */
export function eligibleChannels(
  customer: ConsentFields,
  suppressions: readonly Suppression[],
  campaign: ChannelOrder,
): ChannelDecision[] {
  const decisions: ChannelDecision[] = [];
  for (const channel of new Set(campaign.channels)) {
    const skipReason = channelSkipReason(channel, customer, suppressions);
    decisions.push({ channel, skipReason });
    if (skipReason === null) {
      switch (campaign.channelMode) {
        case "first":
          return decisions;
        case "all":
          break;
        default: {
          const never: never = campaign.channelMode;
          throw new Error(`unknown channel mode ${String(never)}`);
        }
      }
    }
  }
  return decisions;
}
