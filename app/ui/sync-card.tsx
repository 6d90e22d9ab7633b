import { useEffect } from "react";
import { Form, useNavigation, useRevalidator } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { phaseLabel, syncProgress, type SyncRunView } from "../sync/sync-progress";
import { formatCount } from "./format";

const of = (read: number, total: number | null) =>
  total === null ? formatCount(read) : `${formatCount(read)} of ${formatCount(total)}`;

/** The backfill as a merchant follows it: phase, counts, a bar, and a way to run it again. */
export function SyncCard({ run }: { run: SyncRunView | null }) {
  const revalidator = useRevalidator();
  const navigation = useNavigation();
  const running = run?.status === "running";

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 1000);
    return () => clearInterval(timer);
  }, [running, revalidator]);

  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Customer and order sync
        </Text>
        {run === null ? (
          <Text as="p">Your customers and orders have not been loaded yet.</Text>
        ) : (
          <BlockStack gap="200">
            <InlineStack align="space-between">
              <Text as="p" fontWeight="semibold">
                {run.status === "failed"
                  ? "Sync failed"
                  : run.status === "cancelled"
                    ? "Sync cancelled"
                    : phaseLabel(run.phase)}
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
            />
            <Text as="p" tone="subdued">
              Customers: {of(run.customersRead, run.customersTotal)} · Orders:{" "}
              {of(run.ordersRead, run.ordersTotal)}
              {run.linesSkipped > 0 ? ` · ${formatCount(run.linesSkipped)} records skipped (see logs)` : ""}
            </Text>
            {run.error ? (
              <Banner tone="critical" title="Shopify could not export your data">
                <p>{run.error}</p>
              </Banner>
            ) : null}
          </BlockStack>
        )}
        <Form method="post">
          <input type="hidden" name="intent" value="resync" />
          <Button submit disabled={running} loading={navigation.state === "submitting"}>
            {run?.status === "failed" ? "Retry sync" : "Re-sync"}
          </Button>
        </Form>
      </BlockStack>
    </Card>
  );
}
