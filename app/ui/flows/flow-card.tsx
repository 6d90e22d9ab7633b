import type { ReactNode } from "react";
import { Link as RemixLink, useFetcher } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  InlineGrid,
  InlineStack,
  Layout,
  List,
  Text,
} from "@shopify/polaris";
import type { FlowCounts } from "../../flows/report.server";
import { Announcement } from "../announcement";
import type { FlowView } from "./flows-page.server";

// One flow on the Flows page: its state and switch, what starts it, its steps, live counts, and
// (passed in) its settings, templates and test. The abandoned checkout's card says that Shopify's own
// abandoned checkout email would go out too.

interface ActionData {
  ok: boolean;
  message: string;
}

const STATUS: Record<string, { label: string; tone?: "success" | "attention" }> = {
  on: { label: "On", tone: "success" },
  off: { label: "Off" },
  paused: { label: "Paused", tone: "attention" },
};

export function FlowStatusBadge({ status }: { status: string }) {
  const s = STATUS[status] ?? { label: status };
  return <Badge tone={s.tone}>{s.label}</Badge>;
}

function FlowToggle({ flow }: { flow: FlowView }) {
  const fetcher = useFetcher<ActionData>();
  const on = flow.status === "on";
  const busy = fetcher.state !== "idle";
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="flow" value={flow.key} />
      <input type="hidden" name="intent" value={on ? "turn-off" : "turn-on"} />
      <InlineStack gap="200" blockAlign="center">
        <Button
          submit
          variant={on ? "secondary" : "primary"}
          loading={busy}
          accessibilityLabel={`${on ? "Turn off" : "Turn on"} ${flow.name}`}
        >
          {on ? "Turn off" : "Turn on"}
        </Button>
        <Announcement visuallyHidden message={!busy && fetcher.data?.ok ? fetcher.data.message : null} />
      </InlineStack>
    </fetcher.Form>
  );
}

const REASONS: Record<string, string> = {
  converted: "ordered",
  unsubscribed: "unsubscribed",
  segment_left: "left the segment",
  flow_disabled: "flow turned off",
  no_consent: "no consent",
  suppressed_unsubscribed: "unsubscribed",
  suppressed_bounced: "bounced",
  suppressed_complained: "complained",
  no_address: "no address",
  capped: "frequency cap",
  holdout: "holdout",
  sold_out: "cart sold out",
  no_products: "nothing to show",
};
const reason = (r: string) => REASONS[r] ?? r.replace(/_/g, " ");
const count = (n: number) => n.toLocaleString("en-US");

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <Box background="bg-surface-secondary" padding="300" borderRadius="200">
      <BlockStack gap="100">
        <Text as="p" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingLg">
          {count(value)}
        </Text>
      </BlockStack>
    </Box>
  );
}

function breakdown(record: Record<string, number>, skip: string[] = []): string {
  return Object.entries(record)
    .filter(([k, n]) => n > 0 && !skip.includes(k))
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${reason(k)} ${count(n)}`)
    .join(" · ");
}

export function FlowCountsView({ counts }: { counts: FlowCounts }) {
  const skipped = breakdown(counts.skipped);
  const otherExits = breakdown(counts.exited, ["converted"]);
  return (
    <BlockStack gap="200">
      <InlineGrid columns={{ xs: 2, md: 5 }} gap="200">
        <Stat label="Entered" value={counts.entered} />
        <Stat label="Waiting" value={counts.waiting} />
        <Stat label="Messages sent" value={counts.sent} />
        <Stat label="Left because they ordered" value={counts.converted} />
        <Stat label="Held out (to measure lift)" value={counts.heldOut} />
      </InlineGrid>
      <Text as="p" tone="subdued">
        Skipped messages: {skipped || "none"}.{otherExits ? ` Also left early: ${otherExits}.` : ""}
        {counts.done > 0 ? ` Finished every step: ${count(counts.done)}.` : ""}
      </Text>
    </BlockStack>
  );
}

export function FlowCard({ flow, children }: { flow: FlowView; children: ReactNode }) {
  return (
    <Layout.Section>
      {/* a region named by its heading: each flow is a landmark to jump to */}
      <section aria-labelledby={`flow-${flow.key}`}>
        <Card>
          <BlockStack gap="400">
            <InlineStack align="space-between" blockAlign="center" gap="300">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h2" variant="headingMd" id={`flow-${flow.key}`}>
                  {flow.name}
                </Text>
                <FlowStatusBadge status={flow.status} />
              </InlineStack>
              <FlowToggle flow={flow} />
            </InlineStack>
            <Text as="p">{flow.trigger}</Text>
            {flow.key === "abandoned_checkout" ? (
              <Banner tone="warning">
                <BlockStack gap="100">
                  <Text as="p" fontWeight="semibold">
                    Shopify&apos;s own abandoned checkout email would also send
                  </Text>
                  <Text as="p">
                    Shopify can email abandoned checkouts itself (in your Shopify admin under Marketing →
                    Automations, or Settings → Checkout on older stores). With both on, a shopper gets two
                    messages about the same cart: turn off one of them.
                  </Text>
                </BlockStack>
              </Banner>
            ) : null}
            {flow.status === "paused" && flow.pausedReason ? (
              <Banner tone="warning">Paused by the app: {flow.pausedReason}</Banner>
            ) : null}
            {flow.settingReset ? (
              <Banner tone="info">
                The stored settings of this flow no longer fit its bounds: it uses the defaults until you
                save.
              </Banner>
            ) : null}
            <BlockStack gap="200">
              <Text as="h3" variant="headingSm">
                Steps
              </Text>
              <List type="number">
                {flow.steps.map((s) => (
                  <List.Item key={s.id}>{s.text}</List.Item>
                ))}
              </List>
            </BlockStack>
            <BlockStack gap="200">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h3" variant="headingSm">
                  So far
                </Text>
                <RemixLink to={`/app/results/${flow.id}`} aria-label={`Results: ${flow.name}`}>
                  Results
                </RemixLink>
              </InlineStack>
              <FlowCountsView counts={flow.counts} />
            </BlockStack>
            {children}
          </BlockStack>
        </Card>
      </section>
    </Layout.Section>
  );
}
