import type { PrismaClient } from "@prisma/client";
import { createClickToken, createOpenToken, isTrackableMessageId, linkIdFor } from "./tracking-token.server";
import type { MessageTracking } from "./track-links";
import { withUtm } from "./utm";

// The tracked links and open pixel of the messages one dispatch batch sends. Each destination
// gets our UTM parameters and is kept as a TrackedLink before any message naming it goes out, so
// a redirect never looks up a link that is not stored yet.

export interface TrackedMessage {
  id: string;
  channel: "email" | "sms" | "webhook";
  sendKey: string;
}

// Links this process stored, so a campaign's shared links are written once, not per batch.
const stored = new Set<string>();
const STORED_LIMIT = 100_000;

export class BatchTracking {
  private readonly links = new Map<string, string>();
  private readonly base: string;

  constructor(
    appUrl: string,
    private readonly secret: Uint8Array,
    private readonly utmCampaign: string,
  ) {
    this.base = appUrl.replace(/\/+$/, "");
  }

  /** The tracking of one message; webhook messages have no links of ours, and ids made elsewhere (fixtures) no token. */
  of(message: TrackedMessage): MessageTracking | undefined {
    const { channel } = message;
    if (channel === "webhook" || !isTrackableMessageId(message.id)) return undefined;
    return {
      link: (destination) => {
        const url = withUtm(destination, {
          medium: channel,
          campaign: this.utmCampaign,
          content: message.sendKey,
        });
        const linkId = linkIdFor(url);
        this.links.set(linkId, url);
        return `${this.base}/t/c/${createClickToken({ outboxId: message.id, linkId }, this.secret)}`;
      },
      pixelUrl:
        channel === "email" ? `${this.base}/t/o/${createOpenToken(message.id, this.secret)}.gif` : null,
    };
  }

  /** Stores the batch's new destinations; call before sending. */
  async save(prisma: Pick<PrismaClient, "trackedLink">, shop: string): Promise<void> {
    const fresh = [...this.links].filter(([id]) => !stored.has(`${shop}\n${id}`));
    if (fresh.length === 0) return;
    await prisma.trackedLink.createMany({
      data: fresh.map(([id, url]) => ({ shop, id, url })),
      skipDuplicates: true,
    });
    if (stored.size > STORED_LIMIT) stored.clear();
    for (const [id] of fresh) stored.add(`${shop}\n${id}`);
  }
}
