import { BlockStack, DataTable, Text } from "@shopify/polaris";
import { formatCount } from "../format";
import { ScrollRegion } from "../scroll-region";
import type { DayView } from "./daily-view";
import { DailyChart, RevenueChart } from "./results-charts";

export function DailySection({
  days,
  note,
  currencyCode,
}: {
  days: DayView[];
  note: string;
  currencyCode: string;
}) {
  if (days.length === 0) {
    return <Text as="p">Nothing sent yet: each day shows here once messages go out.</Text>;
  }
  return (
    <BlockStack gap="400">
      <Text as="p" tone="subdued">
        {note} Opens and clicks are each message&apos;s first by a person; orders are those credited to a
        message, on the day they were placed.
      </Text>
      <DailyChart days={days} />
      <Text as="h3" variant="headingSm">
        Revenue per day
      </Text>
      <RevenueChart days={days} currencyCode={currencyCode} />
      <ScrollRegion label="Days">
        <DataTable
          columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric"]}
          headings={["Day", "Sent", "Opened", "Clicked", "Orders", "Revenue"]}
          rows={days.map((d) => [
            d.label,
            formatCount(d.sent),
            formatCount(d.opened),
            formatCount(d.clicked),
            formatCount(d.orders),
            d.revenue,
          ])}
        />
      </ScrollRegion>
    </BlockStack>
  );
}
