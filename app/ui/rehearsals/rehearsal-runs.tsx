import { Link } from "@remix-run/react";
import { Badge, InlineStack, List, Text } from "@shopify/polaris";
import { TitledSection } from "../titled-section";
import type { RehearsalsPage } from "./rehearsals-page.server";

/** Every stored rehearsal, newest first; a file that cannot be read says why instead of vanishing. */
export function RehearsalRuns({
  runs,
  shownFile,
}: {
  runs: RehearsalsPage["runs"];
  shownFile: string | null;
}) {
  return (
    <TitledSection title="All rehearsals">
      <List>
        {runs.map((run) => (
          <List.Item key={run.file}>
            {run.ok ? (
              <InlineStack gap="200" blockAlign="center">
                {run.file === shownFile ? (
                  <Text as="span" fontWeight="semibold">
                    {new Date(run.date).toUTCString()} (shown)
                  </Text>
                ) : (
                  <Link to={`?run=${encodeURIComponent(run.file)}`}>{new Date(run.date).toUTCString()}</Link>
                )}
                <Badge tone={run.met ? "success" : "critical"}>
                  {run.met ? "Target met" : "Target not met"}
                </Badge>
                <Text as="span" tone="subdued">
                  {run.headline}
                </Text>
              </InlineStack>
            ) : (
              <Text as="span" tone="critical">
                {run.file}: {run.problem}
              </Text>
            )}
          </List.Item>
        ))}
      </List>
    </TitledSection>
  );
}
