import { Link as RemixLink } from "@remix-run/react";
import { BlockStack, DataTable, InlineStack, Text } from "@shopify/polaris";
import { CustomerLink } from "../customer-link";
import { ScrollRegion } from "../scroll-region";
import { SEND_LABELS, skipReasonLabel, StatusBadge } from "./status-badge";

export interface LogData {
  status: string | null;
  after: string | null;
  next: string | null;
  messages: Array<{
    id: string;
    sendKey: string;
    customerId: string;
    /** null when Shopify has no name for them, or they were deleted or redacted since */
    firstName: string | null;
    lastName: string | null;
    channel: string;
    status: string;
    skipReason: string | null;
    sendAt: string | null;
    sentAt: string | null;
    /** on the shop's clock, and on the customer's when their zone differs */
    sendAtLabel: string | null;
    sentAtLabel: string | null;
    customerSendAt: string | null;
    lastError: string | null;
  }>;
}

const STATUSES = ["", "queued", "sent", "failed", "holdout", "skipped", "planned"];
/** The shop's time, and below it the customer's own when it differs. */
function Time({ shop, customer }: { shop: string | null; customer: string | null }) {
  if (shop === null) return <>—</>;
  return (
    <BlockStack gap="050">
      <span>{shop}</span>
      {customer ? (
        <Text as="span" tone="subdued" variant="bodySm">
          {customer} customer&apos;s time
        </Text>
      ) : null}
    </BlockStack>
  );
}

/** The campaign's messages a page at a time (customer names, never addresses), each customer one click from Shopify admin. */
export function MessageLog({ log }: { log: LogData }) {
  const query = (extra: Record<string, string>) => {
    const params = new URLSearchParams({ ...(log.status ? { status: log.status } : {}), ...extra });
    const text = params.toString();
    return text ? `?${text}` : "?";
  };
  return (
    <BlockStack gap="300">
      <InlineStack gap="300">
        {STATUSES.map((s) => (
          <RemixLink key={s || "all"} to={s ? `?status=${s}` : "?"} preventScrollReset>
            {s === (log.status ?? "") ? <strong>{s || "all"}</strong> : s || "all"}
          </RemixLink>
        ))}
      </InlineStack>
      {log.messages.length === 0 ? (
        <Text as="p" tone="subdued">
          No messages{log.status ? ` with status ${log.status}` : ""}.
        </Text>
      ) : (
        <ScrollRegion label="Message log">
          <DataTable
            columnContentTypes={["text", "text", "text", "text", "text", "text", "text"]}
            headings={["Customer", "Send", "Channel", "Status", "Reason", "Send at", "Sent at"]}
            rows={log.messages.map((m) => [
              <CustomerLink key={m.id} customer={{ id: m.customerId, firstName: m.firstName, lastName: m.lastName }} />,
              SEND_LABELS[m.sendKey] ?? m.sendKey,
              m.channel,
              <StatusBadge key={`${m.id}-s`} status={m.status} />,
              m.skipReason ? skipReasonLabel(m.skipReason) : (m.lastError ?? ""),
              <Time key={`${m.id}-at`} shop={m.sendAtLabel} customer={m.customerSendAt} />,
              m.sentAtLabel ?? "—",
            ])}
          />
        </ScrollRegion>
      )}
      <InlineStack gap="400">
        {log.after ? (
          <RemixLink to={query({})} preventScrollReset>
            First page
          </RemixLink>
        ) : null}
        {log.next ? (
          <RemixLink to={query({ after: log.next })} preventScrollReset>
            Next page
          </RemixLink>
        ) : null}
      </InlineStack>
    </BlockStack>
  );
}
