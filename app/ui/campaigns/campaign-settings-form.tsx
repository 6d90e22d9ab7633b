import { useEffect, useState } from "react";
import { Form, useNavigation } from "@remix-run/react";
import { BlockStack, Button, Card, FormLayout, InlineStack, Text, TextField } from "@shopify/polaris";
import type { CampaignSettingsField, CampaignSettingsValues } from "../../campaigns/settings/settings-form";
import { Announcement } from "../announcement";

// Shipping cut-offs and audience rules on the Settings page. Posts `intent=campaign-settings`; the
// action (saveCampaignSettingsAction) validates every field and stores nothing unless all are valid.

export interface CampaignSettingsFormProps {
  values: CampaignSettingsValues;
  errors?: Partial<Record<CampaignSettingsField, string>>;
  /** saved: the keys of the drafts that took the new audience rules */
  draftsUpdated?: string[];
}

interface FieldSpec {
  name: CampaignSettingsField;
  label: string;
  help: string;
  suffix?: string;
}

const SHIPPING: FieldSpec[] = [
  {
    name: "shipping.standard",
    label: "Standard shipping cut-off",
    help: 'A date like "12-15", or days before Christmas like 10.',
  },
  {
    name: "shipping.express",
    label: "Express shipping cut-off",
    help: "The last day express delivery still arrives by Christmas.",
  },
];
const CAPS: FieldSpec[] = [
  {
    name: "caps.email",
    label: "At most one marketing email every",
    suffix: "hours",
    help: "Across all campaigns. Empty: no cap.",
  },
  {
    name: "caps.sms",
    label: "At most one SMS every",
    suffix: "hours",
    help: "Across all campaigns. Empty: no cap.",
  },
  {
    name: "caps.webhook",
    label: "At most one webhook message every",
    suffix: "hours",
    help: "Empty: no cap.",
  },
];
const SMS_HOURS: FieldSpec[] = [
  { name: "smsQuietHours.start", label: "SMS from", help: "Customer's local time; never before 08:00." },
  { name: "smsQuietHours.end", label: "SMS until", help: "Never after 21:00." },
];

const ATTRIBUTION: FieldSpec[] = [
  {
    name: "attribution.emailClickHours",
    label: "Credit an order to an email clicked within",
    suffix: "hours",
    help: "The customer's last click on a tracked link before the order. 120 hours is 5 days.",
  },
  {
    name: "attribution.smsClickHours",
    label: "Credit an order to a text clicked within",
    suffix: "hours",
    help: "Texts are read at once: 24 hours is usual.",
  },
  {
    name: "attribution.discountCodeDays",
    label: "Credit an order using a message's code within",
    suffix: "days",
    help: "When no tracked link was clicked.",
  },
  {
    name: "attribution.conversionDays",
    label: "Measure lift over",
    suffix: "days",
    help: "Orders of customers sent to and held out, from their planned send.",
  },
];

export function CampaignSettingsForm({ values, errors, draftsUpdated }: CampaignSettingsFormProps) {
  const navigation = useNavigation();
  const submitting =
    navigation.state === "submitting" && navigation.formData?.get("intent") === "campaign-settings";
  const [text, setText] = useState(values);
  useEffect(() => setText(values), [values]);
  const field = (spec: FieldSpec) => (
    <TextField
      key={spec.name}
      name={spec.name}
      label={spec.label}
      helpText={spec.help}
      suffix={spec.suffix}
      autoComplete="off"
      value={text[spec.name]}
      onChange={(value) => setText((current) => ({ ...current, [spec.name]: value }))}
      error={errors?.[spec.name]}
    />
  );
  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="intent" value="campaign-settings" />
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            Campaign rules
          </Text>
          <FormLayout>
            <FormLayout.Group condensed>{SHIPPING.map(field)}</FormLayout.Group>
            {field({
              name: "holdoutPercent",
              label: "Holdout",
              suffix: "%",
              help: "Share of each new campaign's audience kept back to measure lift (0 to 50).",
            })}
            <FormLayout.Group condensed>{CAPS.map(field)}</FormLayout.Group>
            <FormLayout.Group condensed>{SMS_HOURS.map(field)}</FormLayout.Group>
            <TextField
              name="stateQuietHours"
              label="Stricter SMS hours by state or province"
              helpText='One per line, like "US-FL 08:00-20:00". These narrow the SMS hours above for customers there.'
              multiline={3}
              monospaced
              autoComplete="off"
              value={text.stateQuietHours}
              onChange={(value) => setText((current) => ({ ...current, stateQuietHours: value }))}
              error={errors?.stateQuietHours}
            />
          </FormLayout>
          <Text as="h3" variant="headingSm">
            Results
          </Text>
          <FormLayout>
            <FormLayout.Group condensed>{ATTRIBUTION.slice(0, 2).map(field)}</FormLayout.Group>
            <FormLayout.Group condensed>{ATTRIBUTION.slice(2).map(field)}</FormLayout.Group>
          </FormLayout>
          <InlineStack align="end" gap="300" blockAlign="center">
            <Announcement
              tone="success"
              message={
                draftsUpdated && !submitting
                  ? draftsUpdated.length > 0
                    ? `Saved. ${draftsUpdated.length} draft ${draftsUpdated.length === 1 ? "campaign takes" : "campaigns take"} the new rules: plan them again.`
                    : "Saved."
                  : null
              }
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
