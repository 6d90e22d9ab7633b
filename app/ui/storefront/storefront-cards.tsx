import { Form, Link as RemixLink, useNavigation } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, Checkbox, DataTable, InlineStack, Link, List, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { Announcement } from "../announcement";

// The cards of the Storefront page: installing the blocks, what the banner says, the signup
// setting, the consent ledger's latest rows.

interface Block {
  handle: string;
  title: string;
  kind: "embed" | "block";
  url: string;
}

export function InstallCard({ blocks, preview }: { blocks: Block[]; preview: string | null }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Put it on your storefront
        </Text>
        <Text as="p" tone="subdued">
          Open the theme editor from each link; the banner is an app embed (turn it on under App embeds), the
          others are blocks you add to a section of any page. Save the theme when done.
        </Text>
        <List type="number">
          {blocks.map((block) => (
            <List.Item key={block.handle}>
              <Link url={block.url} target="_top">
                {block.kind === "embed" ? `Turn on the ${block.title}` : `Add the ${block.title}`}
              </Link>
            </List.Item>
          ))}
        </List>
        {preview ? (
          <Text as="p">
            Local demo:{" "}
            <Link url={preview} target="_blank">
              open the emulator&apos;s storefront
            </Link>{" "}
            with the banner and blocks in place.
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}

interface Deadline {
  shipping: string;
  date: string;
  orderBy: string;
  state: string;
}

export function BannerCard({ deadlines, showFrom, occasion, zone }: { deadlines: Deadline[]; showFrom: string; occasion: string; zone: string }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Shipping deadline banner
        </Text>
        <Text as="p" tone="subdued">
          Shoppers see the next cut-off for delivery before {occasion}, in their own time zone, from {showFrom} ({zone}).
          It moves to express after the standard cut-off and disappears after the last. The cut-offs are in{" "}
          <RemixLink to="/app/settings">Settings → Campaign rules</RemixLink>; the storefront picks up a change within
          seconds, without a request on page load.
        </Text>
        <DataTable
          columnContentTypes={["text", "text", "text"]}
          headings={["Shipping", "Order by (end of day)", "On the storefront"]}
          rows={deadlines.map((d) => [d.shipping === "standard" ? "Standard" : "Express", d.orderBy, <Badge key={d.shipping} tone={d.state === "shown" ? "success" : undefined}>{d.state}</Badge>])}
        />
      </BlockStack>
    </Card>
  );
}

export function SignupSettingsCard({ doubleOptInEmail, saved }: { doubleOptInEmail: boolean; saved: boolean }) {
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting";
  const [checked, setChecked] = useState(doubleOptInEmail);
  useEffect(() => setChecked(doubleOptInEmail), [doubleOptInEmail]);
  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="intent" value="storefront-settings" />
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Signup form
          </Text>
          <Checkbox
            name="doubleOptInEmail"
            value="on"
            label="Ask new email subscribers to confirm by email (double opt-in)"
            helpText="Recommended: anyone can type an address into a form; only its owner can click the link. Subscribers are pending in Shopify until they confirm."
            checked={checked}
            onChange={setChecked}
          />
          <InlineStack align="end" gap="300" blockAlign="center">
            <Announcement tone="success" message={saved && !submitting ? "Saved." : null} />
            <Button submit variant="primary" loading={submitting}>
              Save
            </Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}

interface ConsentRow {
  id: string;
  customerId: string;
  channel: string;
  state: string;
  optInLevel: string;
  source: string;
  at: string;
}

export function RecentConsentCard({ rows }: { rows: ConsentRow[] }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Latest consent changes from the storefront
        </Text>
        {rows.length === 0 ? (
          <Text as="p" tone="subdued">
            No signups yet. Each one appears here with the evidence kept for it.
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "text", "text", "text"]}
            headings={["When", "Customer", "Channel", "State", "Opt-in", "Source"]}
            rows={rows.map((r) => [
              r.at,
              <RemixLink key={r.id} to={`/app/storefront/consent/${r.customerId}`}>
                {`Customer ${r.customerId}`}
              </RemixLink>,
              r.channel === "sms" ? "SMS" : "Email",
              r.state,
              r.optInLevel.replaceAll("_", " ").toLowerCase(),
              r.source,
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}
