import { Link as RemixLink } from "@remix-run/react";
import { BlockStack, DataTable, List, Text } from "@shopify/polaris";
import { EmptyCard } from "../empty-card";
import { ScrollRegion } from "../scroll-region";
import { BREAKDOWN_HEADINGS, breakdownCells } from "./breakdown-table";
import type { ResultsOverview } from "./results-overview.server";

// The season overview's table and its line on what the shop sold at all.

export function SeasonLine({ season }: { season: NonNullable<ResultsOverview["season"]> }) {
  return (
    <BlockStack gap="100">
      <Text as="p" variant="headingLg">
        Credited to messages: {season.credited} of {season.sold} sold ({season.share})
      </Text>
      <Text as="p" tone="subdued">
        Since {season.from}, the day of the first message sent: {season.creditedOrders} of {season.soldOrders}{" "}
        orders (cancelled and test orders left out of both).
      </Text>
    </BlockStack>
  );
}

export function SourcesTable({ overview }: { overview: ResultsOverview }) {
  const { totals } = overview;
  return (
    <ScrollRegion label="Campaigns and flows">
      <DataTable
        columnContentTypes={["text", "text", ...BREAKDOWN_HEADINGS.map(() => "numeric" as const), "text"]}
        headings={["Name", "Kind", ...BREAKDOWN_HEADINGS, "Lift (conversion, 95% interval)"]}
        rows={overview.sources.map((s) => [
          s.url ? (
            <RemixLink key={s.key} to={s.url}>
              {s.label}
            </RemixLink>
          ) : (
            s.label
          ),
          s.kind,
          ...breakdownCells(s),
          s.lift,
        ])}
        totals={["", "", ...breakdownCells(totals), ""]}
        totalsName={{ singular: "Total", plural: "Total" }}
        showTotalsInFooter
        verticalAlign="top"
      />
    </ScrollRegion>
  );
}

export function NothingSent() {
  return (
    <EmptyCard heading="Nothing sent yet">
      <p>Once a campaign or flow sends its first message, this page lists each one with what came of it:</p>
      <List>
        <List.Item>
          messages sent and delivered, open and click rates (people only, not privacy proxies)
        </List.Item>
        <List.Item>orders and revenue credited to the messages</List.Item>
        <List.Item>the lift against the customers held out, once there is enough data to tell</List.Item>
        <List.Item>and how much of everything the store sold the messages are credited with</List.Item>
      </List>
      <p>
        Send a campaign from <RemixLink to="/app/campaigns">Campaigns</RemixLink>, or turn on a flow in{" "}
        <RemixLink to="/app/flows">Flows</RemixLink>.
      </p>
    </EmptyCard>
  );
}
