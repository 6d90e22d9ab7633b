import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { readChannelSettings } from "../channel-config/channel-config.server";
import { CHANNEL_TITLES } from "../channel-config/channels";
import type { ChannelReadiness } from "../channel-config/types";
import { createChannel } from "../channels/create-channel.server";
import type { NetworkPolicy } from "../channels/destination";
import type { SecretBox } from "../channels/secret-box.server";
import type { MessageTemplate, RenderResult, TemplateError } from "../templates/message-template";
import { getRenderPool } from "../templates/render-pool.server";
import { TemplateVariables } from "../templates/variables";
import { parseTestRecipient, testMessage, type TestChannel } from "./test-message";
import type { TestSendLimit } from "./test-send-limit";

// "Send test": one message rendered with sample variables (never a real customer's), sent once
// through the shop's configured channel to the merchant's own address or phone. Nothing is
// written: no outbox row (so no frequency cap counts it and no report shows it), no suppression if
// it bounces, no delivery callback. Its idempotency key is `test:<random>`, never a real message's.
// The caller (a campaign, a flow) picks the template and the sample variables.

export const TEST_SEND_REFUSALS = [
  /** not a channel with text (email, SMS), not a send or channel of what is tested */
  "INVALID_REQUEST",
  /** the shop has no settings for the channel, or they no longer open */
  "CHANNEL_NOT_CONFIGURED",
  /** the channel's settings have not passed "Test connection" (never tested, or the last test failed) */
  "CHANNEL_NOT_READY",
  /** not one email address / not an E.164 phone number */
  "INVALID_RECIPIENT",
  /** the template does not render; `errors` has part, line and column */
  "TEMPLATE_ERROR",
  /** the shop's test sends of the last hour are used up */
  "RATE_LIMITED",
  /** the provider did not take the message */
  "SEND_FAILED",
] as const;
export type TestSendRefusal = (typeof TEST_SEND_REFUSALS)[number];

export interface TestSendDeps {
  prisma: Pick<PrismaClient, "channelConfig">;
  box: SecretBox;
  /** where the channel may connect (network-policy.server.ts) */
  network: NetworkPolicy;
  limit: TestSendLimit;
  now: () => Date;
  /** the one network call's deadline (default: the channel's) */
  timeoutMs?: number;
  /** the test's idempotency key (default `test:<random uuid>`) */
  newKey?: () => string;
}

export interface TestMessageRequest {
  channel: TestChannel;
  to: unknown;
  template: MessageTemplate;
  /** sample variables, unsubscribe link included; validated again here */
  variables: unknown;
  /** named in the message's metadata (the campaign or flow) */
  sourceId: string;
}

export type TestSendResult =
  | {
      ok: true;
      channel: TestChannel;
      to: string;
      idempotencyKey: string;
      providerId: string;
    }
  | { ok: false; code: TestSendRefusal; message: string; errors: TemplateError[] };

export type TestSendRefused = Extract<TestSendResult, { ok: false }>;

export const refuse = (code: TestSendRefusal, message: string, errors: TemplateError[] = []): TestSendRefused => ({
  ok: false,
  code,
  message,
  errors,
});

const located = (errors: readonly TemplateError[]) =>
  errors
    .slice(0, 3)
    .map((e) => `${e.part} line ${e.line}, column ${e.column}: ${e.message}`)
    .join("; ");

/** Sends one test message, or says why not. */
export async function sendTestMessage(
  deps: TestSendDeps,
  shop: string,
  readiness: Readonly<Record<string, ChannelReadiness | undefined>>,
  request: TestMessageRequest,
): Promise<TestSendResult> {
  const { channel } = request;
  const title = CHANNEL_TITLES[channel];
  const ready = readiness[channel];
  if (!ready?.configured)
    return refuse(
      "CHANNEL_NOT_CONFIGURED",
      `${title} is not set up: enter its settings in Settings → Channels`,
    );
  if (!ready.testOk) {
    const last = ready.testError
      ? `its last connection test failed (${ready.testError})`
      : "it has not been tested";
    return refuse(
      "CHANNEL_NOT_READY",
      `${title} is not ready: ${last}. Run "Test connection" in Settings → Channels`,
    );
  }

  const recipient = parseTestRecipient(channel, request.to);
  if (!recipient.ok) return refuse("INVALID_RECIPIENT", recipient.message);

  let rendered: RenderResult;
  try {
    // The merchant's template renders in the pool, off the web process's event loop.
    rendered = await getRenderPool().render(
      request.template,
      TemplateVariables.parse(request.variables),
    );
  } catch {
    // the shop's own data does not fit the template variables (a bug of ours, not the merchant's)
    rendered = {
      ok: false,
      errors: [
        {
          part: channel === "sms" ? "sms" : "text",
          line: 1,
          column: 1,
          message: "the shop's data cannot be shown in a template",
        },
      ],
    };
  }
  if (!rendered.ok)
    return refuse(
      "TEMPLATE_ERROR",
      `The ${title} message does not render, so it is not sent: ${located(rendered.errors)}`,
      rendered.errors,
    );

  const slot = deps.limit.take(shop, deps.now().getTime());
  if (!slot.ok) {
    const minutes = Math.ceil(slot.retryInMs / 60_000);
    return refuse(
      "RATE_LIMITED",
      `The shop's test sends for this hour are used up; try again in ${minutes} minute${minutes === 1 ? "" : "s"}`,
    );
  }

  const settings = await readChannelSettings({ prisma: deps.prisma, box: deps.box }, shop, channel);
  if (!settings)
    return refuse(
      "CHANNEL_NOT_CONFIGURED",
      `${title}'s stored settings cannot be opened: enter them again in Settings → Channels`,
    );
  const idempotencyKey = deps.newKey?.() ?? `test:${randomUUID()}`;
  const message = testMessage(rendered.message, recipient.to, idempotencyKey, {
    shop,
    campaignId: request.sourceId,
    customerId: "sample",
  });
  // Only a deadline: no delivery callbacks, so nothing about a test comes back to the outbox.
  const client = createChannel(settings, {
    network: deps.network,
    ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }),
  });
  try {
    const result = await client.send(message);
    if (result.status === "sent")
      return {
        ok: true,
        channel,
        to: recipient.to,
        idempotencyKey,
        providerId: result.providerId,
      };
    return refuse("SEND_FAILED", `${title} did not take the test: ${result.reason}`);
  } catch (error) {
    return refuse(
      "SEND_FAILED",
      `${title} did not take the test: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    await client.close();
  }
}
