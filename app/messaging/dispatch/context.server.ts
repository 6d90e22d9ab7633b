import type { PrismaClient } from "@prisma/client";
import { createChannel } from "../channels/create-channel.server";
import type { NetworkPolicy } from "../channels/destination";
import { ChannelSettings, type ChannelKind } from "../channels/settings";
import type { Channel } from "../channels/types";
import { twilioStatusCallbackUrl } from "../delivery-events/twilio-status";
import type { DispatchChannel } from "./jobs";

// The shop's channel for a lane, cached per process and re-created when its settings change.

const KIND: Record<DispatchChannel, ChannelKind> = { email: "smtp", sms: "twilio", webhook: "webhook" };

export type ChannelState =
  { ok: true; channel: Channel; ratePerSecond: number } | { ok: false; problem: string };

export interface ContextOptions {
  prisma: PrismaClient;
  /** opens ChannelConfig.sealed (context `${shop}:${channel}`) */
  openSealed: (sealed: string, context: string) => string;
  channelTimeoutMs: number;
  /** where channels may connect (network-policy.server.ts): checked on every connection */
  network: NetworkPolicy;
  /** SHOPIFY_APP_URL: Twilio messages name its delivery-report endpoint as their StatusCallback */
  appUrl?: string;
}

export class DispatchContext {
  private readonly channels = new Map<string, { updatedAt: number; state: ChannelState }>();

  constructor(private readonly options: ContextOptions) {}

  async channel(shop: string, channel: DispatchChannel): Promise<ChannelState> {
    const config = await this.options.prisma.channelConfig.findUnique({
      where: { shop_channel: { shop, channel } },
      select: { sealed: true, ratePerSecond: true, updatedAt: true },
    });
    const key = `${shop}:${channel}`;
    const cached = this.channels.get(key);
    if (cached && config && cached.updatedAt === config.updatedAt.getTime())
      return cached.state.ok
        ? { ...cached.state, ratePerSecond: Math.max(1, config.ratePerSecond) }
        : cached.state;
    // No await between the check and the set: concurrent lanes share one channel instance.
    const state: ChannelState = config
      ? this.open(shop, channel, config.sealed, config.ratePerSecond)
      : { ok: false, problem: `no ${channel} channel configured` };
    if (config) this.channels.set(key, { updatedAt: config.updatedAt.getTime(), state });
    else this.channels.delete(key);
    if (cached?.state.ok) await cached.state.channel.close();
    return state;
  }

  private open(shop: string, channel: DispatchChannel, sealed: string, ratePerSecond: number): ChannelState {
    let plain: string;
    try {
      plain = this.options.openSealed(sealed, `${shop}:${channel}`);
    } catch (error) {
      // the secret box's message names the problem (bad key, tampered), never the secret
      return {
        ok: false,
        problem: `${channel} settings cannot be opened: ${error instanceof Error ? error.message : "?"}`,
      };
    }
    let json: unknown;
    try {
      json = JSON.parse(plain);
    } catch {
      return { ok: false, problem: `${channel} settings are not JSON` };
    }
    const settings = ChannelSettings.safeParse(json);
    if (!settings.success || settings.data.kind !== KIND[channel])
      return { ok: false, problem: `${channel} settings are invalid` };
    const { appUrl } = this.options;
    const instance = createChannel(settings.data, {
      network: this.options.network,
      timeoutMs: this.options.channelTimeoutMs,
      statusCallbackUrl: appUrl
        ? (message) => twilioStatusCallbackUrl(appUrl, message.metadata.shop, message.idempotencyKey)
        : undefined,
    });
    return { ok: true, channel: instance, ratePerSecond: Math.max(1, ratePerSecond) };
  }

  async close(): Promise<void> {
    const open = [...this.channels.values()];
    this.channels.clear();
    for (const { state } of open) if (state.ok) await state.channel.close();
  }
}
