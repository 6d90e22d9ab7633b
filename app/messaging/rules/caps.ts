import type { Channel } from "./channels";
import { ceilToSecond, nextInWindow, type QuietHours } from "./quiet-hours";
import type { FrequencyCaps } from "./settings";
import { HOUR_MS } from "./time-zone";

// Frequency caps across campaigns (issue 5): a customer is not flooded during Cyber Week.

/** A marketing message sent or planned to one customer, by any campaign. */
export interface SendRecord {
  campaign: string;
  channel: Channel;
  at: Date;
}

export type CapDecision =
  | { kind: "send"; at: Date; deferred: boolean }
  | { kind: "skip"; reason: "frequency_cap"; wouldSendAt: Date };

export function capHours(caps: FrequencyCaps, channel: Channel): number | null {
  switch (channel) {
    case "email":
      return caps.email;
    case "sms":
      return caps.sms;
    case "webhook":
      return caps.webhook;
    default: {
      const never: never = channel;
      throw new Error(`unknown channel ${String(never)}`);
    }
  }
}

/**
 * When a message of `channel` planned for `desiredAt` may go out given the customer's other
 * messages: at least the cap apart from every one of them, before or after (planned messages of
 * other campaigns count too). A capped message is deferred to the first moment the cap allows,
 * back inside the quiet hours when given; when that is after `campaignEnd` it is skipped instead.
 * Records of the campaign being planned (`options.campaign`) are ignored, so planning it again does
 * not cap it against itself. `desiredAt` should already be an allowed moment (nextAllowedSend)
 * before the end: a message that was due after the end is the caller's "campaign_ended", not a cap.
 */
export function applyCaps(
  history: readonly SendRecord[],
  channel: Channel,
  desiredAt: Date,
  campaignEnd: Date | null,
  caps: FrequencyCaps,
  options: { quietHours?: QuietHours | null; campaign?: string } = {},
): CapDecision {
  const hours = capHours(caps, channel);
  if (hours === null || hours === 0) return { kind: "send", at: desiredAt, deferred: false };
  const gap = hours * HOUR_MS;
  const others = history
    .filter((h) => h.channel === channel && h.campaign !== options.campaign)
    .map((h) => h.at.getTime())
    .sort((a, b) => a - b);
  let t = desiredAt.getTime();
  // t only grows and each step leaves one more record at least a gap behind, so this ends.
  for (;;) {
    let latestConflict: number | null = null;
    for (const at of others) if (Math.abs(t - at) < gap) latestConflict = at;
    if (latestConflict === null) break;
    t = ceilToSecond(latestConflict + gap);
    if (options.quietHours) t = nextInWindow(t, options.quietHours);
  }
  const at = new Date(t);
  if (campaignEnd && t > campaignEnd.getTime())
    return { kind: "skip", reason: "frequency_cap", wouldSendAt: at };
  return { kind: "send", at, deferred: t !== desiredAt.getTime() };
}
