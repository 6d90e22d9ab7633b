import { Link as RemixLink } from "@remix-run/react";
import { IndexTable, Text } from "@shopify/polaris";
import { SEGMENT_TREATMENT, SEGMENTS } from "../../segments/rules";
import { formatCount } from "../format";
import { StatusBadge } from "./status-badge";

export interface CampaignListRow {
  id: string;
  key: string;
  name: string;
  segment: string;
  status: string;
  channels: string[];
  /** on each customer's own clock */
  firstSend: string | null;
  enabled: boolean;
  planned: boolean;
  planning: boolean;
  counts: Record<string, number>;
}

export function segmentLabel(segment: string): string {
  const known = SEGMENTS.find((s) => s === segment);
  return known ? SEGMENT_TREATMENT[known].label : segment;
}

const n = (counts: Record<string, number>, ...keys: string[]) => keys.reduce((sum, k) => sum + (counts[k] ?? 0), 0);

export function CampaignList({ campaigns }: { campaigns: CampaignListRow[] }) {
  return (
    <IndexTable
      resourceName={{ singular: "campaign", plural: "campaigns" }}
      itemCount={campaigns.length}
      selectable={false}
      headings={[
        { title: "Campaign" },
        { title: "Segment" },
        { title: "Status" },
        { title: "Channels" },
        { title: "First send (customer's local time)" },
        { title: "To send", alignment: "end" },
        { title: "Sent", alignment: "end" },
        { title: "Holdout", alignment: "end" },
        { title: "Skipped", alignment: "end" },
      ]}
    >
      {campaigns.map((c, index) => (
        <IndexTable.Row id={c.id} key={c.id} position={index}>
          <IndexTable.Cell>
            <RemixLink to={`/app/campaigns/${c.id}`}>{c.name}</RemixLink>
          </IndexTable.Cell>
          <IndexTable.Cell>{segmentLabel(c.segment)}</IndexTable.Cell>
          <IndexTable.Cell>
            <StatusBadge status={c.status} />{" "}
            {!c.enabled ? (
              <Text as="span" tone="subdued">
                off
              </Text>
            ) : c.planning ? (
              <Text as="span" tone="subdued">
                planning…
              </Text>
            ) : !c.planned && c.status === "draft" ? (
              <Text as="span" tone="subdued">
                not planned
              </Text>
            ) : null}
          </IndexTable.Cell>
          <IndexTable.Cell>{c.channels.join(", ")}</IndexTable.Cell>
          <IndexTable.Cell>{c.firstSend ?? "—"}</IndexTable.Cell>
          <IndexTable.Cell>
            <Text as="span" alignment="end" numeric>
              {formatCount(n(c.counts, "planned", "queued", "sending", "sent", "failed"))}
            </Text>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <Text as="span" alignment="end" numeric>
              {formatCount(n(c.counts, "sent"))}
            </Text>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <Text as="span" alignment="end" numeric>
              {formatCount(n(c.counts, "holdout"))}
            </Text>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <Text as="span" alignment="end" numeric>
              {formatCount(n(c.counts, "skipped"))}
            </Text>
          </IndexTable.Cell>
        </IndexTable.Row>
      ))}
    </IndexTable>
  );
}
