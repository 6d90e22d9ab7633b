import { useId } from "react";
import { Form, Link, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { phaseLabel, syncProgress, type SyncRunShown } from "../sync/sync-progress";
import { formatCount } from "./format";
import { usePollWhile } from "./campaigns/use-poll-while";

const of = (read: number, total: number | null) =>
  total === null ? formatCount(read) : `${formatCount(read)} of ${formatCount(total)}`;

function runTitle(run: SyncRunShown): string {
  if (run.status === "failed") return "Sync failed";
  if (run.status === "cancelled") return "Sync cancelled";
  return phaseLabel(run.phase);
}

/** Phase, a named progress bar, counts and times of one backfill: Settings, the dashboard, Sync status. */
export function SyncRunProgress({ run }: { run: SyncRunShown }) {
  const labelId = useId();
  const running = run.status === "running";
  return (
    <BlockStack gap="200">
      <InlineStack align="space-between">
        <Text as="p" fontWeight="semibold" id={labelId}>
          {runTitle(run)}
        </Text>
        <Text as="p" tone="subdued">
          {syncProgress(run)}%
        </Text>
      </InlineStack>
      <ProgressBar
        progress={syncProgress(run)}
        tone={run.status === "failed" ? "critical" : "primary"}
        size="small"
        animated={running}
        ariaLabelledBy={labelId}
      />
      <Text as="p" tone="subdued">
        Customers: {of(run.customersRead, run.customersTotal)} · Orders: {of(run.ordersRead, run.ordersTotal)}
        {run.linesSkipped > 0 ? ` · ${formatCount(run.linesSkipped)} records skipped (see logs)` : ""}
      </Text>
      <Text as="p" tone="subdued">
        Started {run.startedLabel}
        {run.finishedLabel ? ` · finished ${run.finishedLabel}` : ""}
      </Text>
      {run.error ? (
        <Banner tone="critical" title="Shopify could not export your data">
          <p>{run.error}</p>
        </Banner>
      ) : null}
    </BlockStack>
  );
}

/** The backfill as a merchant follows it: phase, counts, a bar, and a way to run it again. */
export function SyncCard({ run, detailsLink = false }: { run: SyncRunShown | null; detailsLink?: boolean }) {
  const navigation = useNavigation();
  const running = run?.status === "running";
  usePollWhile(running, 1000);

  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Customer and order sync
        </Text>
        {run === null ? (
          <Text as="p">Your customers and orders have not been loaded yet.</Text>
        ) : (
          <SyncRunProgress run={run} />
        )}
        <InlineStack gap="300" blockAlign="center">
          <Form method="post">
            <input type="hidden" name="intent" value="resync" />
            <Button submit disabled={running} loading={navigation.state === "submitting"}>
              {run?.status === "failed" ? "Retry sync" : "Re-sync"}
            </Button>
          </Form>
          {detailsLink ? <Link to="/app/sync-status">Sync status</Link> : null}
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
