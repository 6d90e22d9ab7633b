import type { PrismaClient } from "@prisma/client";
import { BUILT_IN_FLOW_KEYS, BUILT_IN_FLOWS, type BuiltInFlowKey } from "../../app/flows/built-in";
import type { FlowStep } from "../../app/flows/definition";
import { flowIdFor } from "../../app/flows/ids";
import { createSecretBox } from "../../app/messaging/channels/secret-box.server";
import type { Sinks } from "../emulator/sinks";
import { saveChannelConfig } from "../support/outbox-factory";

// The shop as a merchant readies it for the peak: every built-in flow on, the abandoned checkout at
// its shortest allowed delays, and the channels pointed at the local provider sinks.

const MINUTE_MS = 60_000;

function delayOf(key: BuiltInFlowKey, stepId: string): { min: number; default: number } {
  const d = BUILT_IN_FLOWS[key].delays.find((x) => x.stepId === stepId);
  if (!d) throw new Error(`no delay ${stepId} in ${key}`);
  return d;
}

/** The abandoned checkout's delays the rehearsal runs with: the shortest a merchant may set. */
export const REHEARSAL_WAITS = {
  firstMs: delayOf("abandoned_checkout", "first_message_wait").min * MINUTE_MS,
  reminderMs: delayOf("abandoned_checkout", "first_reminder_wait").min * MINUTE_MS,
};

/** Every built-in flow on, the abandoned checkout at its shortest delays. */
export async function readyFlows(prisma: PrismaClient, shop: string): Promise<void> {
  const setting = {
    delays: {
      first_message_wait: REHEARSAL_WAITS.firstMs / MINUTE_MS,
      first_reminder_wait: REHEARSAL_WAITS.reminderMs / MINUTE_MS,
    },
  };
  for (const key of BUILT_IN_FLOW_KEYS)
    await prisma.flow.upsert({
      where: { shop_key: { shop, key } },
      create: {
        id: flowIdFor(shop, key),
        shop,
        key,
        status: "on",
        setting: key === "abandoned_checkout" ? setting : {},
      },
      update: { status: "on" },
    });
}

/** The channels pointed at the sinks, sealed with the app's key, at a rate the sinks take. */
export async function readyChannels(
  prisma: PrismaClient,
  shop: string,
  sinks: Sinks,
  encryptionKey: Buffer,
): Promise<void> {
  const box = createSecretBox(encryptionKey);
  const settings = {
    email: sinks.settings.smtp,
    sms: sinks.settings.twilio,
    webhook: sinks.settings.webhook,
  } as const;
  for (const channel of ["email", "sms", "webhook"] as const)
    await saveChannelConfig(prisma, box, {
      shop,
      channel,
      settings: settings[channel],
      ratePerSecond: 1_000,
    });
}

function sends(steps: readonly FlowStep[]): number {
  let n = 0;
  for (const step of steps) {
    if (step.kind === "send") n += step.channelMode === "all" ? step.channels.length : 1;
    if (step.kind === "branch")
      n +=
        (Array.isArray(step.then) ? sends(step.then) : 0) + (Array.isArray(step.else) ? sends(step.else) : 0);
  }
  return n;
}

/** Per flow: the most messages one pass through it can send (every send step, every arm). */
export const MAX_MESSAGES: Readonly<Record<string, number>> = Object.fromEntries(
  BUILT_IN_FLOW_KEYS.map((key) => [key, sends(BUILT_IN_FLOWS[key].definition.steps)]),
);

export const EXIT_ON_ORDER: readonly string[] = BUILT_IN_FLOW_KEYS.filter((key) =>
  BUILT_IN_FLOWS[key].definition.exitWhen.includes("order_placed"),
);
