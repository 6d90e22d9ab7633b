import type { AttributionWindows } from "../../campaigns/settings/attribution-windows";
import { UTM_SOURCE, type LandingUtm } from "../../messaging/tracking/utm";

// Which one message, if any, an order is credited to. Pure. In order of evidence:
//  1. the customer's last human click on a tracked link before the order, within the channel's
//     window (email 5 days, text 24 hours by default);
//  2. a discount code the order used that a message sent to this customer carried;
//  3. the order's landing page UTM naming a send this customer was sent.
// Cancelled and test orders are credited to nothing. One order, at most one message: attributed
// revenue can never add up to more than the shop sold.

export type AttributionModel = "click" | "discount_code" | "utm";

export interface OrderToAttribute {
  createdAt: Date;
  cancelled: boolean;
  test: boolean;
  discountCodes: readonly string[];
  landing: LandingUtm;
}

/** A message sent to the order's customer, with what could credit the order to it. */
export interface SentTouch {
  outboxId: string;
  campaignId: string;
  channel: string;
  sendKey: string;
  /** the campaign's or flow's key, as its links' utm_campaign */
  utmCampaign: string;
  sentAt: Date;
  discountCode: string | null;
  /** the last click on its links not flagged as a machine's */
  lastHumanClickAt: Date | null;
}

export interface Attribution {
  outboxId: string;
  campaignId: string;
  model: AttributionModel;
  /** the click, or the send the code or UTM came with */
  touchAt: Date;
}

const HOUR_MS = 3_600_000;

function clickWindowMs(channel: string, windows: AttributionWindows): number | null {
  if (channel === "email") return windows.emailClickHours * HOUR_MS;
  if (channel === "sms") return windows.smsClickHours * HOUR_MS;
  return null; // webhook messages carry no tracked links
}

/** The latest of the candidates by `at`, ties broken by message id so the answer never depends on input order. */
function latest<T extends { outboxId: string }>(candidates: Array<[T, Date]>): [T, Date] | undefined {
  let best: [T, Date] | undefined;
  for (const candidate of candidates) {
    const [touch, at] = candidate;
    if (!best || at > best[1] || (at.getTime() === best[1].getTime() && touch.outboxId < best[0].outboxId))
      best = candidate;
  }
  return best;
}

const credit = (touch: SentTouch, model: AttributionModel, touchAt: Date): Attribution => ({
  outboxId: touch.outboxId,
  campaignId: touch.campaignId,
  model,
  touchAt,
});

export function attributeOrder(
  order: OrderToAttribute,
  touches: readonly SentTouch[],
  windows: AttributionWindows,
): Attribution | null {
  if (order.cancelled || order.test) return null;
  const placed = order.createdAt.getTime();
  const before = touches.filter((t) => t.sentAt.getTime() <= placed);

  const clicks: Array<[SentTouch, Date]> = [];
  for (const touch of before) {
    const window = clickWindowMs(touch.channel, windows);
    const at = touch.lastHumanClickAt;
    if (window === null || !at) continue;
    const age = placed - at.getTime();
    if (age >= 0 && age <= window) clicks.push([touch, at]);
  }
  const click = latest(clicks);
  if (click) return credit(click[0], "click", click[1]);

  const codes = new Set(order.discountCodes.map((code) => code.trim().toUpperCase()));
  const codeWindow = windows.discountCodeDays * 24 * HOUR_MS;
  const coded = latest(
    before
      .filter((t) => t.discountCode !== null && codes.has(t.discountCode.trim().toUpperCase()))
      .filter((t) => placed - t.sentAt.getTime() <= codeWindow)
      .map((t): [SentTouch, Date] => [t, t.sentAt]),
  );
  if (coded) return credit(coded[0], "discount_code", coded[1]);

  const { landing } = order;
  if (landing.source !== UTM_SOURCE) return null;
  const landed = latest(
    before
      .filter((t) => t.utmCampaign === landing.campaign && t.sendKey === landing.content)
      .filter((t) => landing.medium === null || landing.medium === t.channel)
      .map((t): [SentTouch, Date] => [t, t.sentAt]),
  );
  return landed ? credit(landed[0], "utm", landed[1]) : null;
}
