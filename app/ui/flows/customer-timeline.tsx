import { useState } from "react";
import { Form, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, DataTable, InlineStack, Text, TextField } from "@shopify/polaris";
import type { CustomerTimeline as Timeline } from "../../flows/report.server";
import { CustomerLink } from "../customer-link";

// One customer's way through the flows: each time they entered one (newest first), where they are
// or why they left, and every message of it with its status, on the shop's clock.

const EXITS: Record<string, string> = {
  converted: "left: they ordered",
  unsubscribed: "left: unsubscribed",
  segment_left: "left: no longer in the segment",
  flow_disabled: "left: the flow was turned off",
};

function state(e: Timeline["enrollments"][number]): string {
  if (e.status === "waiting") return "waiting";
  if (e.status === "done") return "finished every step";
  if (e.status === "exited") return EXITS[e.exitReason ?? ""] ?? `left: ${e.exitReason ?? "unknown"}`;
  return e.status;
}

function Messages({ messages }: { messages: Timeline["enrollments"][number]["messages"] }) {
  if (messages.length === 0)
    return (
      <Text as="p" tone="subdued">
        No messages yet.
      </Text>
    );
  return (
    <DataTable
      columnContentTypes={["text", "text", "text", "text", "text"]}
      headings={["Step", "Channel", "Status", "Goes out", "Sent"]}
      rows={messages.map((m) => [
        m.step,
        m.channel === "sms" ? "SMS" : m.channel,
        m.skipReason
          ? `${m.status} (${m.skipReason.replace(/_/g, " ")})`
          : m.lastError
            ? `${m.status}: ${m.lastError}`
            : m.status,
        m.sendAt ?? "—",
        m.sentAt ?? "—",
      ])}
    />
  );
}

function Result({ timeline }: { timeline: Timeline }) {
  const who = timeline.customer ? <CustomerLink customer={timeline.customer} inText /> : null;
  if (timeline.enrollments.length === 0)
    return (
      <Text as="p">
        {who ?? `Customer ${timeline.customerId}`} has not entered any flow
        {timeline.customer ? "" : " (no such customer in this shop yet)"}.
      </Text>
    );
  return (
    <BlockStack gap="400">
      {who ? <Text as="p">Flows of {who}:</Text> : null}
      {timeline.enrollments.map((e) => (
        <Box key={e.id} padding="300" background="bg-surface-secondary" borderRadius="200">
          <BlockStack gap="200">
            <InlineStack gap="200" blockAlign="center">
              <Text as="h3" variant="headingSm">
                {e.flowName}
              </Text>
              <Badge
                tone={e.status === "waiting" ? "info" : e.exitReason === "converted" ? "success" : undefined}
              >
                {state(e)}
              </Badge>
              {e.holdout ? <Badge>holdout: receives nothing</Badge> : null}
            </InlineStack>
            <Text as="p" tone="subdued">
              Entered {e.triggeredAt} (trigger {e.triggerEntityId})
              {e.waitingOn ? `; next: ${e.waitingOn.step ?? "a step"}, due ${e.waitingOn.dueAt ?? "—"}` : ""}
              {e.waitingOn && e.waitingOn.wakeAt && e.waitingOn.wakeAt !== e.waitingOn.dueAt
                ? `, held until ${e.waitingOn.wakeAt}`
                : ""}
            </Text>
            <Messages messages={e.messages} />
          </BlockStack>
        </Box>
      ))}
    </BlockStack>
  );
}

export function CustomerTimeline({
  timeline,
  query,
  error,
}: {
  timeline: Timeline | null;
  query: string;
  error: string | null;
}) {
  const [params] = useSearchParams();
  const [text, setText] = useState(query);
  const template = params.get("template");
  return (
    <BlockStack gap="300">
      <Form method="get" preventScrollReset>
        {template ? <input type="hidden" name="template" value={template} /> : null}
        <InlineStack gap="200" blockAlign="end">
          <TextField
            label="Customer id"
            name="customer"
            value={text}
            onChange={setText}
            autoComplete="off"
            error={error ?? undefined}
            helpText="The number at the end of the customer's page address in Shopify admin."
          />
          <Button submit>Show timeline</Button>
        </InlineStack>
      </Form>
      {timeline ? <Result timeline={timeline} /> : null}
    </BlockStack>
  );
}
