import { useEffect, useState } from "react";
import { Form, useNavigation } from "@remix-run/react";
import {
  BlockStack,
  Button,
  Card,
  Checkbox,
  FormLayout,
  InlineStack,
  Text,
  TextField,
} from "@shopify/polaris";
import type { SegmentThresholds } from "../segments/rules";
import type { ThresholdField } from "../segments/settings.server";
import { Announcement } from "./announcement";

// The numbers of the segment rules and the tag option, on the Settings page. Posts
// `intent=thresholds` to the route, whose action calls saveSegmentSettingsAction.

const FIELDS: Array<{ name: ThresholdField; label: string; help: string; suffix?: string; step: number }> = [
  {
    name: "lapsedAfterDays",
    label: "Lapsed after",
    suffix: "days",
    step: 1,
    help: "No order for longer than this: lapsed.",
  },
  { name: "vipMinF", label: "VIP minimum F score", step: 1, help: "Frequency score from 1 to 5." },
  { name: "vipMinM", label: "VIP minimum M score", step: 1, help: "Spend score from 1 to 5." },
  { name: "vipMinOrders", label: "VIP minimum orders", step: 1, help: "At least this many orders." },
  {
    name: "priceSensitiveShare",
    label: "Price-sensitive discount share",
    step: 0.05,
    help: "Share of orders with a discount, from 0 to 1 (0.5 = half).",
  },
  {
    name: "recentWithinDays",
    label: "Recent within",
    suffix: "days",
    step: 1,
    help: "Last order at most this many days ago.",
  },
];

export interface SegmentSettingsFormProps {
  thresholds: SegmentThresholds;
  tagSegments: boolean;
  /** From the action when it refused the values: a message per field and what was typed. */
  errors?: Partial<Record<ThresholdField, string>>;
  values?: Partial<Record<ThresholdField, string>>;
  /** The action saved: show a confirmation. */
  saved?: boolean;
  /** The save changed the numbers and a rescore was queued. */
  rescoring?: boolean;
}

const asText = (thresholds: SegmentThresholds): Record<ThresholdField, string> => ({
  lapsedAfterDays: String(thresholds.lapsedAfterDays),
  vipMinF: String(thresholds.vipMinF),
  vipMinM: String(thresholds.vipMinM),
  vipMinOrders: String(thresholds.vipMinOrders),
  priceSensitiveShare: String(thresholds.priceSensitiveShare),
  recentWithinDays: String(thresholds.recentWithinDays),
});

export function SegmentSettingsForm({
  thresholds,
  tagSegments,
  errors,
  values,
  saved,
  rescoring,
}: SegmentSettingsFormProps) {
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting" && navigation.formData?.get("intent") === "thresholds";
  const [text, setText] = useState<Record<ThresholdField, string>>(() => ({
    ...asText(thresholds),
    ...values,
  }));
  const [tag, setTag] = useState(tagSegments);

  // After a save (or a refused save) the loader's/action's values are the truth again.
  useEffect(() => {
    setText({ ...asText(thresholds), ...values });
  }, [thresholds, values]);
  useEffect(() => setTag(tagSegments), [tagSegments]);

  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="intent" value="thresholds" />
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            Segment rules
          </Text>
          <Text as="p" tone="subdued">
            Each customer gets the first segment whose rule matches: prospect (no order), lapsed, VIP,
            price-sensitive, recent, regular. Changing a number rescores every customer.
          </Text>
          <FormLayout>
            <FormLayout.Group condensed>
              {FIELDS.map((field) => (
                <TextField
                  key={field.name}
                  name={field.name}
                  label={field.label}
                  type="number"
                  step={field.step}
                  suffix={field.suffix}
                  helpText={field.help}
                  autoComplete="off"
                  value={text[field.name]}
                  onChange={(value) => setText((current) => ({ ...current, [field.name]: value }))}
                  error={errors?.[field.name]}
                />
              ))}
            </FormLayout.Group>
            <Checkbox
              name="tagSegments"
              value="on"
              label="Tag customers in Shopify with their segment (rfm:vip …)"
              helpText="So Shopify Email, Flow and Shopify's customer segments can use them. Turning it off removes the tags."
              checked={tag}
              onChange={setTag}
            />
          </FormLayout>
          <InlineStack align="end" gap="300" blockAlign="center">
            <Announcement
              tone="success"
              message={saved && !submitting ? (rescoring ? "Saved. Customers are being rescored." : "Saved.") : null}
            />
            <Button submit variant="primary" loading={submitting}>
              Save
            </Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}
