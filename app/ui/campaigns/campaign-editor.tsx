import { useState } from "react";
import { Form } from "@remix-run/react";
import { Button, Checkbox, ChoiceList, FormLayout, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { Announcement } from "../announcement";
import { SEND_LABELS } from "./status-badge";

export interface DraftData {
  name: string;
  goal: string;
  channels: string[];
  channelMode: string;
  sends: Array<{ key: string; localDate: string; localTime: string }>;
  startsAt: string;
  endsAt: string;
  discount: { type: "none" } | { type: "percent"; percent: number; code: string };
  holdoutShare: number;
  includeProducts: boolean;
  deliveryGuarantee: boolean;
  enabled: boolean;
}

function Field(props: { label: string; name: string; initial: string; errors: Record<string, string>; multiline?: boolean; help?: string }) {
  const [value, setValue] = useState(props.initial);
  return (
    <TextField
      label={props.label}
      name={props.name}
      value={value}
      onChange={setValue}
      autoComplete="off"
      multiline={props.multiline ? 3 : undefined}
      helpText={props.help}
      error={props.errors[props.name]}
    />
  );
}

/** The draft's fields; the server validates and names each bad field. Disabled once scheduled. */
export function CampaignEditor({
  draft,
  errors,
  editable,
  savedMessage,
}: {
  draft: DraftData;
  errors: Record<string, string>;
  editable: boolean;
  /** the last save's confirmation, read out to screen readers */
  savedMessage?: string | null;
}) {
  const [channels, setChannels] = useState(draft.channels);
  const [mode, setMode] = useState(draft.channelMode);
  const [discountType, setDiscountType] = useState<string>(draft.discount.type);
  const [flags, setFlags] = useState({ enabled: draft.enabled, includeProducts: draft.includeProducts, deliveryGuarantee: draft.deliveryGuarantee });
  const percent = draft.discount.type === "percent" ? draft.discount : { percent: 20, code: "" };
  const other = Object.entries(errors).filter(([k]) => !k.startsWith("sends.") && !["name", "goal", "channels", "startsAt", "endsAt", "holdoutShare", "discount.percent", "discount.code"].includes(k));
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="save" />
      {channels.map((c) => (
        <input type="hidden" name="channels" value={c} key={c} />
      ))}
      {draft.sends.map((s, i) => (
        <input type="hidden" name={`sends.${i}.key`} value={s.key} key={s.key} />
      ))}
      {Object.entries(flags).map(([k, v]) => (v ? <input type="hidden" name={k} value="on" key={k} /> : null))}
      <fieldset disabled={!editable} style={{ border: 0, padding: 0, margin: 0 }}>
        <FormLayout>
          <Field label="Name" name="name" initial={draft.name} errors={errors} />
          <Field label="Goal" name="goal" initial={draft.goal} errors={errors} multiline />
          <FormLayout.Group>
            <ChoiceList allowMultiple title="Channels" choices={[{ label: "Email", value: "email" }, { label: "SMS", value: "sms" }, { label: "Webhook", value: "webhook" }]} selected={channels} onChange={setChannels} error={errors.channels} />
            <Select label="Channel mode" name="channelMode" value={mode} onChange={setMode} options={[{ label: "First consented channel", value: "first" }, { label: "Every consented channel", value: "all" }]} />
          </FormLayout.Group>
          <FormLayout.Group>
            <Field label="Starts (local date)" name="startsAt" initial={draft.startsAt} errors={errors} />
            <Field label="Ends (local date)" name="endsAt" initial={draft.endsAt} errors={errors} />
            <Field label="Holdout share" name="holdoutShare" initial={String(draft.holdoutShare)} errors={errors} help="0 to 0.5, e.g. 0.1 keeps 10% back to measure lift" />
          </FormLayout.Group>
          <Text as="h3" variant="headingSm">
            Sends (each customer's local time)
          </Text>
          {draft.sends.map((s, i) => (
            <FormLayout.Group key={s.key} condensed>
              <Field label={`${SEND_LABELS[s.key] ?? s.key}: date`} name={`sends.${i}.localDate`} initial={s.localDate} errors={errors} />
              <Field label={`${SEND_LABELS[s.key] ?? s.key}: time`} name={`sends.${i}.localTime`} initial={s.localTime} errors={errors} />
            </FormLayout.Group>
          ))}
          <FormLayout.Group>
            <Select label="Discount" name="discount.type" value={discountType} onChange={setDiscountType} options={[{ label: "None", value: "none" }, { label: "Percent off", value: "percent" }]} />
            {discountType === "percent" ? <Field label="Percent" name="discount.percent" initial={String(percent.percent)} errors={errors} /> : null}
            {discountType === "percent" ? <Field label="Code (must exist in Shopify)" name="discount.code" initial={percent.code} errors={errors} /> : null}
          </FormLayout.Group>
          <FormLayout.Group>
            <Checkbox label="Enabled" checked={flags.enabled} onChange={(v) => setFlags({ ...flags, enabled: v })} />
            <Checkbox label="Show in-stock products" checked={flags.includeProducts} onChange={(v) => setFlags({ ...flags, includeProducts: v })} />
            <Checkbox label="Promise delivery by Christmas" checked={flags.deliveryGuarantee} onChange={(v) => setFlags({ ...flags, deliveryGuarantee: v })} />
          </FormLayout.Group>
          {other.map(([k, m]) => (
            <Text as="p" tone="critical" key={k}>
              {k}: {m}
            </Text>
          ))}
          <InlineStack gap="300" blockAlign="center">
            <Button submit disabled={!editable}>
              Save draft
            </Button>
            <Announcement tone="success" message={savedMessage} />
          </InlineStack>
        </FormLayout>
      </fieldset>
    </Form>
  );
}
