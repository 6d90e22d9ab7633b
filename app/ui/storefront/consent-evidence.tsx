import { BlockStack, Box, Divider, InlineGrid, Text } from "@shopify/polaris";

// One customer's consent ledger as evidence: each change with what the shopper saw and did.

interface EvidenceRow {
  id: string;
  channel: string;
  state: string;
  optInLevel: string;
  source: string;
  pageUrl: string | null;
  ip: string | null;
  userAgent: string | null;
  confirms: string | null;
  recordedAt: string;
  disclosureId: string | null;
  disclosure: string | null;
  disclosureLocale: string | null;
}

function Field({ label, value }: { label: string; value: string | null }) {
  return (
    <InlineGrid columns={["oneThird", "twoThirds"]} gap="200">
      <Text as="span" tone="subdued">
        {label}
      </Text>
      <Text as="span" breakWord>
        {value ?? "—"}
      </Text>
    </InlineGrid>
  );
}

export function ConsentEvidenceList({ rows }: { rows: EvidenceRow[] }) {
  if (rows.length === 0) return <Text as="p">No consent changes were made from the storefront for this customer.</Text>;
  return (
    <BlockStack gap="400">
      {rows.map((row, i) => (
        <BlockStack gap="200" key={row.id}>
          {i > 0 ? <Divider /> : null}
          <Text as="h3" variant="headingSm">
            {`${row.recordedAt} · ${row.channel === "sms" ? "SMS" : "Email"} → ${row.state} (${row.optInLevel.replaceAll("_", " ").toLowerCase()})`}
          </Text>
          <Field label="Source" value={row.confirms ? `${row.source} (confirms the signup ${row.confirms})` : row.source} />
          <Field label="Page" value={row.pageUrl} />
          <Field label="IP address" value={row.ip} />
          <Field label="Browser" value={row.userAgent} />
          <Field label="Text shown" value={row.disclosureId ? `version ${row.disclosureId.slice(0, 12)}${row.disclosureLocale ? `, ${row.disclosureLocale}` : ""}` : null} />
          {row.disclosure ? (
            <Box background="bg-surface-secondary" padding="300" borderRadius="200">
              <Text as="p">{row.disclosure}</Text>
            </Box>
          ) : null}
        </BlockStack>
      ))}
    </BlockStack>
  );
}
