import type { PrismaClient } from "@prisma/client";
import { createChannel } from "../channels/create-channel.server";
import { redactSettings } from "../channels/redact";
import type { SecretBox } from "../channels/secret-box.server";
import type { NetworkPolicy } from "../channels/destination";
import { destinationProblem, type DestinationProblem } from "../channels/network-policy.server";
import { ChannelSettings } from "../channels/settings";
import type { ChannelOptions } from "../channels/types";
import { getSecretBox } from "../../secrets.server";
import {
  CHANNELS,
  DEFAULT_RATE,
  KIND_OF,
  RATE_MAX,
  RATE_MIN,
  testErrorText,
  type ChannelName,
} from "./channels";
import { parseChannelForm, typedValues } from "./form";
import type { ChannelReadiness, ChannelView, SaveChannelResult, TestChannelResult } from "./types";

// A shop's channel settings in ChannelConfig: sealed as one JSON value with the context
// `<shop>:<channel>` (the dispatcher opens exactly that), so a row copied to another shop or
// channel does not open. Every read and write is keyed by the shop.

export type ChannelConfigDb = Pick<PrismaClient, "channelConfig">;

export interface ChannelConfigDeps {
  prisma: ChannelConfigDb;
  box: SecretBox;
  /** where channels may connect: checked at save and at "Test connection" (network-policy.server.ts) */
  network: NetworkPolicy;
}

/** Settings refused because they point where the app never connects. */
export class ChannelDestinationError extends Error {
  override name = "ChannelDestinationError";
  constructor(readonly problem: DestinationProblem) {
    super(`${problem.field}: ${problem.message}`);
  }
}

export const sealContext = (shop: string, channel: ChannelName): string => `${shop}:${channel}`;

type Opened = { ok: true; settings: ChannelSettings } | { ok: false; reason: string };

const UNREADABLE = "The stored settings cannot be opened (was ENCRYPTION_KEY changed?): enter them again.";

/** Opens a sealed value; never throws, and the reason never quotes the value. */
export function openSettings(box: SecretBox, shop: string, channel: ChannelName, sealed: string): Opened {
  let json: unknown;
  try {
    json = JSON.parse(box.decrypt(sealed, sealContext(shop, channel)));
  } catch {
    return { ok: false, reason: UNREADABLE };
  }
  const parsed = ChannelSettings.safeParse(json);
  if (!parsed.success || parsed.data.kind !== KIND_OF[channel])
    return { ok: false, reason: "The stored settings are no longer valid: enter them again." };
  return { ok: true, settings: parsed.data };
}

/** The shop's settings of a channel, secrets included: for server code that sends or tests. */
export async function readChannelSettings(
  deps: Pick<ChannelConfigDeps, "prisma" | "box">,
  shop: string,
  channel: ChannelName,
): Promise<ChannelSettings | undefined> {
  const row = await deps.prisma.channelConfig.findUnique({
    where: { shop_channel: { shop, channel } },
    select: { sealed: true },
  });
  if (!row) return undefined;
  const opened = openSettings(deps.box, shop, channel, row.sealed);
  return opened.ok ? opened.settings : undefined;
}

/**
 * Stores validated settings and the rate. Changed settings are sealed afresh and must be tested
 * again; a save that only changes the rate keeps the sealed value and its test result. Settings
 * aimed at an address the policy refuses are not stored (ChannelDestinationError).
 */
export async function saveChannelSettings(
  deps: ChannelConfigDeps,
  shop: string,
  channel: ChannelName,
  input: ChannelSettings,
  ratePerSecond?: number,
): Promise<{ changed: boolean }> {
  const settings = ChannelSettings.parse(input);
  if (settings.kind !== KIND_OF[channel])
    throw new TypeError(`the ${channel} channel takes ${KIND_OF[channel]} settings`);
  if (
    ratePerSecond !== undefined &&
    !(Number.isInteger(ratePerSecond) && ratePerSecond >= RATE_MIN && ratePerSecond <= RATE_MAX)
  )
    throw new RangeError(`ratePerSecond must be a whole number from ${RATE_MIN} to ${RATE_MAX}`);
  const problem = await destinationProblem(settings, deps.network);
  if (problem) throw new ChannelDestinationError(problem);
  const where = { shop_channel: { shop, channel } };
  const row = await deps.prisma.channelConfig.findUnique({ where, select: { sealed: true } });
  const old = row ? openSettings(deps.box, shop, channel, row.sealed) : undefined;
  // Both went through the same schema, so equal settings serialize with keys in the same order.
  if (row && old?.ok && JSON.stringify(old.settings) === JSON.stringify(settings)) {
    if (ratePerSecond !== undefined)
      await deps.prisma.channelConfig.updateMany({ where: { shop, channel }, data: { ratePerSecond } });
    return { changed: false };
  }
  const sealed = deps.box.encrypt(JSON.stringify(settings), sealContext(shop, channel));
  const reset = { sealed, testOk: false, testError: null, testedAt: null };
  await deps.prisma.channelConfig.upsert({
    where,
    create: { shop, channel, ...reset, ratePerSecond: ratePerSecond ?? DEFAULT_RATE },
    update: { ...reset, ...(ratePerSecond !== undefined ? { ratePerSecond } : {}) },
  });
  return { changed: true };
}

/** The Settings form of one channel: validated against what is stored, then saved. */
export async function saveChannelForm(
  deps: ChannelConfigDeps,
  shop: string,
  channel: ChannelName,
  form: FormData,
): Promise<SaveChannelResult> {
  const stored = await readChannelSettings(deps, shop, channel);
  const parsed = parseChannelForm(channel, form, stored);
  if (!parsed.ok) return { ok: false, channel, errors: parsed.errors, values: parsed.values };
  const problem = await destinationProblem(parsed.settings, deps.network);
  if (problem)
    return { ok: false, channel, errors: { [problem.field]: problem.message }, values: typedValues(channel, form) };
  const { changed } = await saveChannelSettings(deps, shop, channel, parsed.settings, parsed.ratePerSecond);
  return { ok: true, channel, changed };
}

/**
 * "Test connection" of the stored settings; the result is stored with them. A save during the test
 * makes the result stale: it is not stored (the row's sealed value is compared on write).
 */
export async function testChannel(
  deps: ChannelConfigDeps,
  shop: string,
  channel: ChannelName,
  options: Omit<ChannelOptions, "network"> = {},
): Promise<TestChannelResult> {
  const row = await deps.prisma.channelConfig.findUnique({
    where: { shop_channel: { shop, channel } },
    select: { sealed: true },
  });
  if (!row) return { ok: false, channel, problem: "config", message: "Save the settings first." };
  const kind = KIND_OF[channel];
  const opened = openSettings(deps.box, shop, channel, row.sealed);
  let result: TestChannelResult;
  if (!opened.ok) result = { ok: false, channel, problem: "config", message: opened.reason };
  else {
    const client = createChannel(opened.settings, { ...options, network: deps.network });
    try {
      const check = await client.testConnection();
      result = check.ok ? { ok: true, channel, detail: check.detail } : { channel, ...check };
    } finally {
      await client.close();
    }
  }
  const stored = await deps.prisma.channelConfig.updateMany({
    where: { shop, channel, sealed: row.sealed },
    data: {
      testOk: result.ok,
      testError: result.ok ? null : testErrorText(kind, result.field, result.message),
      testedAt: new Date(),
    },
  });
  if (stored.count === 0)
    return {
      ok: false,
      channel,
      problem: "config",
      message: "The settings changed during the test: test again.",
    };
  return result;
}

/** Every channel of the shop as the Settings page shows it: secrets only as "set" / "not set". */
export async function listChannels(deps: ChannelConfigDeps, shop: string): Promise<ChannelView[]> {
  const rows = await deps.prisma.channelConfig.findMany({ where: { shop } });
  return CHANNELS.map((channel): ChannelView => {
    const row = rows.find((r) => r.channel === channel);
    if (!row) {
      const none = {
        settings: null,
        unreadable: null,
        ratePerSecond: null,
        testOk: false,
        testedAt: null,
        testError: null,
      };
      return { channel, kind: KIND_OF[channel], configured: false, ...none };
    }
    const opened = openSettings(deps.box, shop, channel, row.sealed);
    return {
      channel,
      kind: KIND_OF[channel],
      configured: true,
      settings: opened.ok ? redactSettings(opened.settings) : null,
      unreadable: opened.ok ? null : opened.reason,
      ratePerSecond: row.ratePerSecond,
      testOk: opened.ok && row.testOk,
      testedAt: row.testedAt?.toISOString() ?? null,
      testError: opened.ok ? row.testError : opened.reason,
    };
  });
}

/**
 * Per channel: configured, and whether its current settings passed "Test connection". The
 * campaign scheduler refuses a channel that is not `testOk`. Settings that no longer open count
 * as failed.
 */
export async function channelReadiness(
  prisma: ChannelConfigDb,
  shop: string,
  box: SecretBox = getSecretBox(),
): Promise<Record<ChannelName, ChannelReadiness>> {
  const rows = await prisma.channelConfig.findMany({ where: { shop } });
  const of = (channel: ChannelName): ChannelReadiness => {
    const row = rows.find((r) => r.channel === channel);
    if (!row) return { configured: false, testOk: false, testedAt: null, testError: null };
    const opened = openSettings(box, shop, channel, row.sealed);
    if (!opened.ok)
      return { configured: true, testOk: false, testedAt: row.testedAt, testError: opened.reason };
    return { configured: true, testOk: row.testOk, testedAt: row.testedAt, testError: row.testError };
  };
  return { email: of("email"), sms: of("sms"), webhook: of("webhook") };
}
