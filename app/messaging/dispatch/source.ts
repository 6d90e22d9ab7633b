import type { AudienceSettings } from "../rules/settings";
import type { EmailTemplate, SmsTemplate } from "../templates/message-template";
import type { SharedVariables } from "../templates/variables";
import type { OutboxRow } from "./message";
import type { RenderCache } from "./render-cache";

// What queued messages belong to (a campaign; a flow next) as the dispatcher sees it. The
// dispatcher never reads a source's own tables: it asks this interface whether the source may send,
// what its messages say, and tells it when sending started and when its queue ran dry.

/** What every message of one source shares. */
export interface SourceContent {
  variables: SharedVariables;
  /** the source's last local day: nothing goes out after it ends on the customer's clock (null: no end, a flow) */
  endsAt: string | null;
  /** SMS hours by region (and the caps, which planning applied) */
  audience: AudienceSettings;
  /** messages show products chosen per customer (in stock, not bought before) */
  includeProducts: boolean;
  /** utm_campaign of its tracked links: the campaign's or flow's key, which results and Shopify read back */
  utmCampaign: string;
  templateFor(sendKey: string, channel: "email" | "sms", segment: string): EmailTemplate | SmsTemplate;
  /**
   * Renders of this source's messages, shared by its lanes in this process. One per content:
   * it knows templates by identity, and each version of a source has its own.
   */
  renders: RenderCache;
}

export type SourceState =
  { found: false } | { found: true; status: string; content: SourceContent | null; problem: string | null };

export interface MessageSource {
  /** statuses in which its queued messages may go out */
  readonly sendingStatuses: ReadonlySet<string>;
  /** its status and content (a problem instead of content when it cannot be sent as stored) */
  load(shop: string, sourceId: string): Promise<SourceState>;
  /** its status now, null when gone: lanes look every `statusCheckMs` (pause latency) */
  status(shop: string, sourceId: string): Promise<string | null>;
  /** the sources that may have queued messages, for the sweep */
  sending(): Promise<Array<{ shop: string; id: string }>>;
  /** the first message was claimed */
  started(shop: string, sourceId: string): Promise<unknown>;
  /** no message of it is queued or being sent any more */
  drained(shop: string, sourceId: string): Promise<{ changed: boolean }>;
  /** stop sending until the merchant resumes it; `reason` is shown to them */
  pause(shop: string, sourceId: string, reason: string): Promise<{ changed: boolean }>;
  /**
   * Right before claimed messages go out: those that must not any more, with the skip reason (a
   * flow's customer ordered since it was decided). Sources that decide nothing late leave it out.
   */
  withdrawn?(
    shop: string,
    sourceId: string,
    rows: readonly OutboxRow[],
  ): Promise<ReadonlyMap<string, string>>;
}
