import type { PrismaClient } from "@prisma/client";
import { OUTBOX_STATUSES } from "../../campaigns/lifecycle/campaign-status";
import { campaignMessages, campaignProgress } from "../../campaigns/lifecycle/campaign-progress.server";
import { previewAudience } from "../../campaigns/plan/preview-audience.server";
import { getCampaign } from "../../campaigns/lifecycle/read-campaign.server";
import type { ChannelReadiness } from "../../messaging/channel-config/types";
import type { CampaignDraft } from "../../campaigns/playbooks";
import { describeAudienceRules } from "../../campaigns/settings/describe-rules";
import { previewMessages, shopInfo } from "./message-preview.server";
import { shopTimeZone } from "../../sync/shop-time-zone.server";
import { formatCustomerTime, formatOptionalDateTime, timesNote } from "../format-time";

// Everything the campaign page shows, read for the session's shop only: the campaign, its audience
// preview, live progress, a page of its message log (customer names and ids, never addresses) and the
// preview of its messages with the sample customer. Times come as ISO for scripts and as text on the
// shop's clock (and each message's on the customer's) for the page.

type Db = Pick<PrismaClient, "$queryRawUnsafe" | "campaign" | "shop">;

const LOG_PAGE = 25;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const withoutTemplates = ({ templates: _inPreview, ...draft }: CampaignDraft) => draft;

export async function loadCampaignDetail(
  prisma: Db,
  shop: string,
  campaignId: string,
  params: URLSearchParams,
  readiness: Record<string, ChannelReadiness>,
) {
  const campaign = await getCampaign(prisma, shop, campaignId);
  const status = OUTBOX_STATUSES.find((s) => s === params.get("status")) ?? undefined;
  const after = params.get("after");
  const [audience, progress, log, info, zone] = await Promise.all([
    previewAudience(prisma, shop, campaignId),
    campaignProgress(prisma, shop, campaignId),
    campaignMessages(prisma, shop, campaignId, { status, after: after && after.length <= 200 ? after : null, limit: LOG_PAGE }),
    shopInfo(prisma, shop),
    shopTimeZone(prisma, shop),
  ]);
  const shown = (d: Date | null) => formatOptionalDateTime(d, zone);
  return {
    campaign: {
      id: campaign.id,
      key: campaign.key,
      name: campaign.name,
      segment: campaign.segment,
      status: campaign.status,
      // the editor's fields; the templates come with the preview
      draft: campaign.definition ? withoutTemplates(campaign.definition.draft) : null,
      definitionIssues: campaign.definitionIssues,
      plannedAt: iso(campaign.plannedAt),
      planRequestedAt: iso(campaign.planRequestedAt),
      planRequestedLabel: shown(campaign.planRequestedAt),
      planError: campaign.planError,
      pausedReason: campaign.pausedReason,
      rules: campaign.definition ? describeAudienceRules(campaign.definition.audience) : [],
      scheduledAt: iso(campaign.scheduledAt),
      completedAt: iso(campaign.completedAt),
    },
    audience: { ...audience, plannedAt: iso(audience.plannedAt) },
    progress: {
      ...progress,
      nextSendAt: iso(progress.nextSendAt),
      lastSentAt: iso(progress.lastSentAt),
      nextSendLabel: shown(progress.nextSendAt),
      lastSentLabel: shown(progress.lastSentAt),
    },
    log: {
      status: status ?? null,
      after: after ?? null,
      next: log.next,
      messages: log.messages.map((m) => ({
        ...m,
        sendAt: iso(m.sendAt),
        sentAt: iso(m.sentAt),
        sendAtLabel: shown(m.sendAt),
        sentAtLabel: shown(m.sentAt),
        customerSendAt: formatCustomerTime(m.sendAt, m.timeZone, zone),
      })),
    },
    timesNote: timesNote(zone),
    readiness: Object.fromEntries(Object.entries(readiness).map(([channel, r]) => [channel, r.testOk])),
    preview: campaign.definition ? await previewMessages(campaign.definition, info, params.get("send")) : null,
  };
}
