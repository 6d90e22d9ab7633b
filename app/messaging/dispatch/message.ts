import { channelSkipReason, type Suppression } from "../rules/channels";
import { isAllowedAt, nextAllowedSend, quietHoursFor } from "../rules/quiet-hours";
import { localSendTime } from "../rules/send-time";
import { addDays } from "../rules/local-dates";
import type { JsonValue, MessageContent, OutboundMessage } from "../channels/types";
import { renderMessage } from "../templates/render";
import { messageVariables, type MessagePayload, type TemplateProduct } from "../templates/variables";
import { unsubscribeHeaders } from "../unsubscribe/unsubscribe-headers";
import { trackLinks, type MessageTracking } from "../tracking/track-links";
import type { SourceContent } from "./source";
import type { DispatchChannel } from "./jobs";

// One outbox row becomes one message, or the reason it is not sent now (pure). Consent and
// suppressions are checked again here because they may have changed since planning; a message
// whose campaign has ended on the recipient's clock is skipped, and SMS waits for the recipient's
// sending hours (a resumed or retried text must not go out at night).

export interface OutboxRow {
  id: string;
  customerId: string;
  sendKey: string;
  segment: string;
  channel: DispatchChannel;
  timeZone: string | null;
  attempts: number;
  /** what this message adds to its source's shared variables (a flow's checkout, discount, products) */
  payload?: MessagePayload | null;
  /** the stored payload did not validate: the message fails with this */
  payloadProblem?: string;
}

export interface Recipient {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  locale: string | null;
  countryCode: string | null;
  provinceCode: string | null;
  emailMarketingState: string | null;
  smsMarketingState: string | null;
}

export type Prepared =
  | { kind: "send"; message: OutboundMessage }
  | { kind: "skip"; reason: string }
  | { kind: "fail"; reason: string }
  /** not now: back to the queue for `sendAt`, without counting an attempt */
  | { kind: "defer"; sendAt: Date };

export interface PrepareInput {
  shop: string;
  campaignId: string;
  content: SourceContent;
  row: OutboxRow;
  recipient: Recipient | undefined;
  suppressions: readonly Suppression[];
  /** the signed unsubscribe link of this message for a channel */
  unsubscribeUrl: (channel: "email" | "sms") => string;
  now: Date;
  /** this customer's products (campaigns with products); else the campaign's shared list */
  products?: readonly TemplateProduct[];
  /** its tracked links and open pixel; untracked without */
  tracking?: MessageTracking;
}

/** The last moment of the campaign on the row's clock (the zone the plan used). */
function campaignEnd(content: SourceContent, row: OutboxRow): Date | null {
  if (content.endsAt === null) return null;
  try {
    const midnight = localSendTime({
      localDate: addDays(content.endsAt, 1),
      localTime: "00:00",
      timeZone: row.timeZone,
      fallbackTimeZone: "UTC",
    });
    return new Date(midnight.at.getTime() - 1);
  } catch {
    return null;
  }
}

/** When an SMS outside the recipient's hours may go, or null when it may go now. */
function smsDeferral(content: SourceContent, row: OutboxRow, recipient: Recipient, now: Date): Date | null {
  try {
    const hours = quietHoursFor(recipient, row.timeZone ?? "UTC", content.audience);
    if (isAllowedAt(now.getTime(), hours)) return null;
    return nextAllowedSend({ desired: now, now, quietHours: hours });
  } catch {
    // a zone this runtime does not know: the plan placed the message, keep it
    return null;
  }
}

function webhookPayload(input: PrepareInput, recipient: Recipient): JsonValue {
  const { content, row } = input;
  return {
    campaignId: input.campaignId,
    sendKey: row.sendKey,
    segment: row.segment,
    customer: {
      id: row.customerId,
      firstName: recipient.firstName,
      lastName: recipient.lastName,
      email: recipient.email,
      phone: recipient.phone,
      locale: recipient.locale,
    },
    event: content.variables.event,
    deadline: content.variables.deadline,
    delivery: content.variables.delivery,
    discount: row.payload?.discount !== undefined ? row.payload.discount : content.variables.discount,
    checkout: row.payload?.checkout ?? null,
    products: (row.payload?.products ?? input.products ?? content.variables.products).map((p) => ({
      title: p.title,
      url: p.url,
      price: p.price,
      imageUrl: p.imageUrl ?? null,
    })),
    unsubscribeUrls: { email: input.unsubscribeUrl("email"), sms: input.unsubscribeUrl("sms") },
  };
}

function render(
  input: PrepareInput,
  recipient: Recipient,
  channel: "email" | "sms",
): Prepared | MessageContent {
  const { content, row } = input;
  const unsubscribeUrl = input.unsubscribeUrl(channel);
  const template = content.templateFor(row.sendKey, channel, row.segment);
  // the same variables a preview of this customer's message shows (templates/variables.ts); a
  // message with its own payload (a flow's cart) is rendered on its own, not from the shared cache
  const result = row.payload
    ? renderMessage(template, withPayload(input, recipient, unsubscribeUrl, row.payload))
    : content.renders.render(template, recipient, unsubscribeUrl, input.products);
  if (!result.ok) {
    const errors = result.errors.slice(0, 3).map((e) => `${e.part} ${e.line}:${e.column} ${e.message}`);
    return { kind: "fail", reason: `template: ${errors.join("; ")}` };
  }
  const message = result.message;
  const tracking = input.tracking;
  const options = tracking && {
    track: tracking.link,
    keepDirect: [unsubscribeUrl],
    ...(tracking.pixelUrl ? { pixelUrl: tracking.pixelUrl } : {}),
  };
  if (message.channel === "sms") {
    const body = options
      ? trackLinks({ channel: "sms", body: message.body }, options).content.body
      : message.body;
    return { channel: "sms", body };
  }
  try {
    const headers = { ...unsubscribeHeaders(unsubscribeUrl) };
    const { subject, html, text } = options
      ? trackLinks(
          { channel: "email", subject: message.subject, html: message.html, text: message.text },
          options,
        ).content
      : message;
    return { channel: "email", subject, html, text, headers };
  } catch (error) {
    return {
      kind: "fail",
      reason: `unsubscribe link: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

function withPayload(
  input: PrepareInput,
  recipient: Recipient,
  unsubscribeUrl: string,
  payload: MessagePayload,
) {
  const shared = input.content.variables;
  const variables = messageVariables(
    shared,
    recipient,
    payload.products ?? input.products ?? shared.products,
    unsubscribeUrl,
  );
  return {
    ...variables,
    discount: payload.discount !== undefined ? payload.discount : shared.discount,
    checkout: payload.checkout ?? null,
  };
}

export function prepareMessage(input: PrepareInput): Prepared {
  const { row, recipient } = input;
  if (!recipient) return { kind: "skip", reason: "customer_missing" };
  if (row.payloadProblem) return { kind: "fail", reason: row.payloadProblem };
  const skip = channelSkipReason(row.channel, recipient, input.suppressions);
  if (skip) return { kind: "skip", reason: skip };
  const end = campaignEnd(input.content, row);
  if (end && input.now > end) return { kind: "skip", reason: "campaign_ended" };
  if (row.channel === "sms") {
    const later = smsDeferral(input.content, row, recipient, input.now);
    if (later && end && later > end) return { kind: "skip", reason: "campaign_ended" };
    if (later) return { kind: "defer", sendAt: later };
  }
  const contentOrOutcome: Prepared | MessageContent =
    row.channel === "webhook"
      ? { channel: "webhook", payload: webhookPayload(input, recipient) }
      : render(input, recipient, row.channel);
  if ("kind" in contentOrOutcome) return contentOrOutcome;
  const to =
    row.channel === "email" ? recipient.email : row.channel === "sms" ? recipient.phone : row.customerId;
  return {
    kind: "send",
    message: {
      idempotencyKey: row.id,
      to: (to ?? "").trim(),
      content: contentOrOutcome,
      metadata: { shop: input.shop, campaignId: input.campaignId, customerId: row.customerId },
    },
  };
}
