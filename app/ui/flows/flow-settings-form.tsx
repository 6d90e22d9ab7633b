import { useState } from "react";
import { useFetcher } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Checkbox,
  FormLayout,
  InlineStack,
  Text,
  TextField,
} from "@shopify/polaris";
import { Announcement } from "../announcement";
import type { FlowView } from "./flows-page.server";

// A flow's delays (within their bounds), holdout and "counts toward caps", and for the abandoned
// checkout the peak preset (its first message 30 minutes after the last checkout activity). Posts
// `intent=save-settings`; nothing is stored unless every field is valid, and each error names its field.

interface ActionData {
  ok: boolean;
  message: string;
  fieldErrors?: Record<string, string>;
}

function PeakPreset({ flow }: { flow: FlowView }) {
  const fetcher = useFetcher<ActionData>();
  if (!flow.peak) return null;
  const busy = fetcher.state !== "idle";
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="peak-preset" />
      <BlockStack gap="200">
        <InlineStack gap="300" blockAlign="center">
          <Button submit loading={busy} disabled={flow.peak.active}>
            {`Use the peak preset (${flow.peak.minutes} minutes)`}
          </Button>
          <Text as="span" tone="subdued">
            {flow.peak.active
              ? `The first message goes ${flow.peak.minutes} minutes after the last checkout activity.`
              : "In the peak weeks a cart is forgotten faster: send the first message sooner."}
          </Text>
        </InlineStack>
        {/* the line above already says so on screen: read out only */}
        <Announcement visuallyHidden message={!busy && fetcher.data?.ok ? fetcher.data.message : null} />
      </BlockStack>
    </fetcher.Form>
  );
}

function SettingsFields({ flow, errors }: { flow: FlowView; errors: Record<string, string> }) {
  const [values, setValues] = useState(flow.values);
  const id = (field: string) => `${flow.key}-${field}`;
  return (
    <FormLayout>
      {flow.delays.length > 0 ? (
        <FormLayout.Group condensed>
          {flow.delays.map((d) => (
            <TextField
              key={d.field}
              id={id(d.field)}
              name={d.field}
              label={d.label}
              suffix={d.unit}
              helpText={`From ${d.bounds}.`}
              inputMode="decimal"
              autoComplete="off"
              value={values.delays[d.field] ?? ""}
              onChange={(v) => setValues((old) => ({ ...old, delays: { ...old.delays, [d.field]: v } }))}
              error={errors[d.field]}
            />
          ))}
        </FormLayout.Group>
      ) : null}
      <FormLayout.Group condensed>
        <TextField
          id={id("holdoutPercent")}
          name="holdoutPercent"
          label="Holdout"
          suffix="%"
          helpText="Customers kept back from every message of this flow, to measure its lift (0 to 50)."
          inputMode="decimal"
          autoComplete="off"
          value={values.holdoutPercent}
          onChange={(v) => setValues((old) => ({ ...old, holdoutPercent: v }))}
          error={errors.holdoutPercent}
        />
        <Checkbox
          id={id("countsTowardCaps")}
          name="countsTowardCaps"
          value="on"
          label="Counts toward the frequency caps"
          helpText="Its messages count toward, and wait for, the caps campaigns share (Settings)."
          checked={values.countsTowardCaps}
          onChange={(checked) => setValues((old) => ({ ...old, countsTowardCaps: checked }))}
          error={errors.countsTowardCaps}
        />
      </FormLayout.Group>
    </FormLayout>
  );
}

export function FlowSettingsForm({ flow }: { flow: FlowView }) {
  const fetcher = useFetcher<ActionData>();
  const busy = fetcher.state !== "idle";
  const failed = !busy && fetcher.data && !fetcher.data.ok ? fetcher.data : null;
  return (
    <BlockStack gap="300">
      <Text as="h3" variant="headingSm">
        Settings
      </Text>
      <PeakPreset flow={flow} />
      <fetcher.Form method="post">
        <input type="hidden" name="intent" value="save-settings" />
        <input type="hidden" name="flow" value={flow.key} />
        <BlockStack gap="300">
          {failed ? <Banner tone="critical">{failed.message}</Banner> : null}
          {/* a new key when the stored values change (the peak preset, a save): the fields start from them */}
          <SettingsFields key={JSON.stringify(flow.values)} flow={flow} errors={failed?.fieldErrors ?? {}} />
          <InlineStack gap="300" blockAlign="center">
            <Button submit loading={busy} accessibilityLabel={`Save settings for ${flow.name}`}>
              Save settings
            </Button>
            <Announcement tone="success" message={!busy && fetcher.data?.ok ? fetcher.data.message : null} />
          </InlineStack>
        </BlockStack>
      </fetcher.Form>
    </BlockStack>
  );
}
