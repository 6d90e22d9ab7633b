import { Badge, BlockStack, Card, DataTable, InlineStack, Layout, List, Text } from "@shopify/polaris";
import { CHECK_LABELS } from "../../rehearsals/figures";
import { checkCounts } from "../../rehearsals/record";
import { formatCount } from "../format";
import { TitledSection } from "../titled-section";
import type { ShownRehearsal } from "./rehearsals-page.server";

const counts = (record: Record<string, number>) =>
  Object.entries(record)
    .sort(([, a], [, b]) => b - a)
    .map(([key, n]) => [key, formatCount(n)]);

/** One rehearsal: the verdict, how late flow steps were, the checks that must be zero, what was sent. */
export function RehearsalReport({ shown }: { shown: ShownRehearsal }) {
  const { verdict, options, profile, timing, machine } = shown;
  const checks = checkCounts(shown.checks);
  return (
    <>
      <Layout.Section>
        <Card>
          <BlockStack gap="300">
            <InlineStack gap="200" blockAlign="center">
              <Text as="h2" variant="headingMd">
                Rehearsal of {new Date(shown.date).toUTCString()}
              </Text>
              <Badge tone={verdict.met ? "success" : "critical"}>
                {verdict.met ? "Target met" : "Target not met"}
              </Badge>
            </InlineStack>
            <Text as="p">{verdict.headline}</Text>
            <Text as="p" tone="subdued">
              {formatCount(profile.webhooks)} webhooks ({Math.round(options.abandoned * 100)}% of checkouts
              abandoned) on a store of {formatCount(profile.customers)} customers and{" "}
              {formatCount(profile.products)} products ({formatCount(profile.soldOut)} selling out);{" "}
              {options.mode} mode with{" "}
              {options.workers === 1 ? "1 worker process" : `${options.workers} worker processes`}; a peak of{" "}
              {timing.peakSeconds} s; {machine.cpus} CPUs, {machine.memoryGb} GB, Node {machine.node}.
            </Text>
            <Text as="p" tone="subdued">
              <code>{shown.command}</code>
            </Text>
          </BlockStack>
        </Card>
      </Layout.Section>
      <TitledSection title="Timing">
        <DataTable
          columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric"]}
          headings={["Figure", "Count", "p50", "p99", "Max"]}
          rows={shown.figures.map((f) => [f.figure, f.count, f.p50, f.p99, f.max])}
        />
        <Text as="p" tone="subdued">
          Webhooks: {formatCount(shown.webhooks.answered)} answered, {formatCount(shown.webhooks.non200)} not
          with 200, {formatCount(shown.webhooks.retried)} sent again by the rehearsal.
        </Text>
      </TitledSection>
      <TitledSection title="Checks that must be zero">
        <DataTable
          columnContentTypes={["text", "numeric", "text"]}
          headings={["Check", "Count", "Result"]}
          rows={checks.map((c) => [
            CHECK_LABELS[c.check] ?? c.check,
            formatCount(c.count),
            <Badge key={c.check} tone={c.count === 0 ? "success" : "critical"}>
              {c.count === 0 ? "Zero" : "Not zero"}
            </Badge>,
          ])}
        />
        <Text as="p" tone="subdued">
          Messages already in a provider's hands when the order or the sell-out arrived are not counted:{" "}
          {formatCount(shown.checks.sendsAfterConversion.inFlight)} after an order,{" "}
          {formatCount(shown.checks.soldOutRecommended.inFlight)} after a sell-out.
        </Text>
      </TitledSection>
      <TitledSection title="Flow messages">
        <DataTable
          columnContentTypes={["text", "numeric"]}
          headings={["Status", "Messages"]}
          rows={counts(shown.messages.byStatus)}
        />
        <DataTable
          columnContentTypes={["text", "numeric"]}
          headings={["Skipped because", "Messages"]}
          rows={counts(shown.messages.skippedByReason)}
        />
      </TitledSection>
      <TitledSection title="Faults injected">
        {shown.faults.length === 0 ? (
          <Text as="p">None: this run had no faults.</Text>
        ) : (
          <List>
            {shown.faults.map((f) => (
              <List.Item key={`${f.at}-${f.fault}`}>
                {f.at.slice(11, 19)} UTC — {f.fault}: {f.detail}
              </List.Item>
            ))}
          </List>
        )}
      </TitledSection>
    </>
  );
}
