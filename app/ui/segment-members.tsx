import { useState } from "react";
import { Form, useSearchParams } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Button,
  IndexTable,
  InlineStack,
  Pagination,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import type { ShownMemberPage } from "../segments/report.server";
import { SEGMENT_TREATMENT, SEGMENTS } from "../segments/rules";
import { CustomerLink } from "./customer-link";
import { customerName } from "./customer-name";
import { formatCount } from "./format";

// The members list. Its search, filter, sort and page live in the URL (a GET form and links),
// so a reload or a shared link shows the same list.

const SORT_OPTIONS = [
  { label: "Total spent", value: "spend" },
  { label: "Orders", value: "orders" },
  { label: "Last order", value: "last_order" },
  { label: "Days since last order", value: "recency" },
];
const DIRECTION_OPTIONS = [
  { label: "Highest first", value: "desc" },
  { label: "Lowest first", value: "asc" },
];
const SEGMENT_OPTIONS = [
  { label: "All segments", value: "" },
  ...SEGMENTS.map((s) => ({ label: SEGMENT_TREATMENT[s].label, value: s })),
];

export function SegmentMembers({ members }: { members: ShownMemberPage }) {
  const { query } = members;
  const [params] = useSearchParams();
  const [q, setQ] = useState(query.q);
  const [segment, setSegment] = useState(query.segment ?? "");
  const [sort, setSort] = useState<string>(query.sort);
  const [dir, setDir] = useState<string>(query.direction);
  const pageUrl = (page: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(page));
    return `?${next.toString()}`;
  };

  return (
    <BlockStack gap="300">
      <Form method="get" aria-label="Find customers">
        <InlineStack gap="300" blockAlign="end" wrap>
          <div style={{ minWidth: "16rem", flexGrow: 1 }}>
            <TextField
              label="Search"
              name="q"
              value={q}
              onChange={setQ}
              autoComplete="off"
              placeholder="Name, email or customer ID"
              clearButton
              onClearButtonClick={() => setQ("")}
            />
          </div>
          <Select
            label="Segment"
            name="segment"
            options={SEGMENT_OPTIONS}
            value={segment}
            onChange={setSegment}
          />
          <Select label="Sort by" name="sort" options={SORT_OPTIONS} value={sort} onChange={setSort} />
          <Select label="Order" name="dir" options={DIRECTION_OPTIONS} value={dir} onChange={setDir} />
          <input type="hidden" name="size" value={query.size} />
          <Button submit>Apply</Button>
        </InlineStack>
      </Form>
      <IndexTable
        resourceName={{ singular: "customer", plural: "customers" }}
        itemCount={members.rows.length}
        selectable={false}
        headings={[
          { title: "Customer" },
          { title: "Segment" },
          { title: "Orders", alignment: "end" },
          { title: "Total spent", alignment: "end" },
          { title: "Last order" },
          { title: "Days since", alignment: "end" },
          { title: "R · F · M" },
        ]}
        emptyState={
          <Text as="p" alignment="center" tone="subdued">
            No customers match. Clear the search or pick another segment.
          </Text>
        }
      >
        {members.rows.map((c, index) => (
          <IndexTable.Row id={c.id} key={c.id} position={index}>
            <IndexTable.Cell>
              <BlockStack gap="050">
                <CustomerLink customer={c} />
                {customerName(c) && c.email ? (
                  <Text as="span" variant="bodySm" tone="subdued">
                    {c.email}
                  </Text>
                ) : null}
              </BlockStack>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Badge>{c.segmentLabel}</Badge>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {formatCount(c.orders)}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {c.spend}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>{c.lastOrderOn ?? "—"}</IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {c.recencyDays === null ? "—" : formatCount(c.recencyDays)}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>{c.r === null ? "—" : `${c.r} · ${c.f ?? "—"} · ${c.m ?? "—"}`}</IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </IndexTable>
      <InlineStack align="space-between" blockAlign="center">
        <Text as="p" tone="subdued">
          {formatCount(members.total)} customers · page {formatCount(query.page)} of{" "}
          {formatCount(members.pages)}
        </Text>
        <Pagination
          hasPrevious={members.hasPrevious}
          hasNext={members.hasNext}
          previousURL={members.hasPrevious ? pageUrl(query.page - 1) : undefined}
          nextURL={members.hasNext ? pageUrl(query.page + 1) : undefined}
          accessibilityLabels={{ previous: "Previous page of customers", next: "Next page of customers" }}
        />
      </InlineStack>
    </BlockStack>
  );
}
