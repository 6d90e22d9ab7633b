import { useEffect, useState } from "react";
import { useFetcher } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  FormLayout,
  InlineStack,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import {
  CHANNEL_TITLES,
  FIELDS,
  RATE_FIELD,
  RATE_LABEL,
  fieldOfTestError,
  type FieldDef,
} from "../../messaging/channel-config/channels";
import { initialValues, type FormValues } from "../../messaging/channel-config/form";
import type { ChannelView } from "../../messaging/channel-config/types";
import type { ChannelPostResult } from "./types";
import { Announcement } from "../announcement";

// One channel's settings: fields (secrets never shown back), its status, Save and Test connection.
// Posts to /app/settings/channels; the section's loader fetcher revalidates after each post.

export const CHANNELS_ACTION = "/app/settings/channels";

function StatusBadge({ view }: { view: ChannelView }) {
  if (!view.configured) return <Badge>Not set up</Badge>;
  if (view.testOk) return <Badge tone="success">Ready</Badge>;
  if (view.testError) return <Badge tone="critical">{`Failed: ${view.testError}`}</Badge>;
  return <Badge tone="attention">Not tested</Badge>;
}

const secretNames = (kind: ChannelView["kind"]) => FIELDS[kind].filter((f) => f.secret).map((f) => f.name);

function secretMarker(view: ChannelView, field: string): string | undefined {
  const shown = new Map<string, unknown>(view.settings ? Object.entries(view.settings) : []);
  const value = shown.get(field);
  return typeof value === "string" ? value : undefined;
}

function Field(props: {
  def: FieldDef;
  view: ChannelView;
  value: string;
  error?: string;
  onChange: (value: string) => void;
}) {
  const { def, view, value, error, onChange } = props;
  if (def.type === "select")
    return (
      <Select
        name={def.name}
        label={def.label}
        options={[...(def.options ?? [])]}
        value={value}
        onChange={onChange}
        error={error}
      />
    );
  const secretSet = def.secret && secretMarker(view, def.name) === "set";
  return (
    <TextField
      name={def.name}
      label={def.label}
      // url and email as text: the browser's own validation would block the post, and with it
      // the server's message next to the field
      type={def.secret ? "password" : def.type === "number" ? "number" : "text"}
      inputMode={def.type === "url" || def.type === "email" ? def.type : undefined}
      autoComplete={def.secret ? "new-password" : "off"}
      value={value}
      onChange={onChange}
      error={error}
      placeholder={secretSet ? "Set (leave blank to keep it)" : undefined}
      helpText={
        def.secret
          ? [def.help, "Stored encrypted and never shown again."].filter(Boolean).join(" ")
          : def.help
      }
    />
  );
}

/** The SMS card's note on replies: Twilio must send the texts customers send back to the app. */
function InboundHelp({ url }: { url: string }) {
  return (
    <BlockStack gap="100">
      <Text as="p" tone="subdued">
        Replies: in Twilio, set your number&apos;s (or messaging service&apos;s) &quot;A message comes
        in&quot; webhook to this URL (HTTP POST). STOP, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE or OPT OUT then
        ends the customer&apos;s SMS consent here and in Shopify; HELP or INFO gets your shop&apos;s name, how
        often you text and how to stop. START does not subscribe anyone again: consent comes from Shopify.
      </Text>
      <Text as="p" variant="bodySm" breakWord>
        {url}
      </Text>
    </BlockStack>
  );
}

export function ChannelCard({ view, inboundUrl }: { view: ChannelView; inboundUrl?: string }) {
  const save = useFetcher<ChannelPostResult>({ key: `channel-save-${view.channel}` });
  const test = useFetcher<ChannelPostResult>({ key: `channel-test-${view.channel}` });
  // Results of posts made before the stored settings last changed no longer describe the form.
  const [stale, setStale] = useState<{ save?: unknown; test?: unknown }>({});
  const saved = save.data?.intent === "save" && save.data !== stale.save ? save.data : undefined;
  const tested = test.data?.intent === "test" && test.data !== stale.test ? test.data : undefined;

  // Reset the typed values only when the stored settings change, not whenever any card posts.
  const storedKey = JSON.stringify([view.settings, view.ratePerSecond]);
  const [shownKey, setShownKey] = useState(storedKey);
  const [values, setValues] = useState<FormValues>(() =>
    initialValues(view.channel, view.settings, view.ratePerSecond),
  );
  if (shownKey !== storedKey) {
    setShownKey(storedKey);
    setValues(initialValues(view.channel, view.settings, view.ratePerSecond));
    setStale({ save: saved && !saved.ok ? saved : stale.save, test: test.data });
  }
  useEffect(() => {
    if (!saved) return;
    // a refused save shows what was typed (secrets never come back); a saved secret leaves the field
    if (!saved.ok) setValues((current) => ({ ...current, ...saved.values }));
    else
      setValues((current) => ({
        ...current,
        ...Object.fromEntries(secretNames(view.kind).map((name) => [name, ""])),
      }));
  }, [saved, view.kind]);

  const errors: Record<string, string> = saved && !saved.ok ? { ...saved.errors } : {};
  const testFailed = view.testError ? fieldOfTestError(view.kind, view.testError) : undefined;
  if (testFailed && view.testError && !errors[testFailed]) errors[testFailed] = view.testError;
  if (tested && !tested.ok && tested.field && !errors[tested.field]) errors[tested.field] = tested.message;

  const saving = save.state !== "idle";
  const testing = test.state !== "idle";
  const set = (name: string) => (value: string) => setValues((current) => ({ ...current, [name]: value }));

  return (
    <Card>
      <save.Form method="post" action={CHANNELS_ACTION}>
        <input type="hidden" name="intent" value="save" />
        <input type="hidden" name="channel" value={view.channel} />
        <BlockStack gap="400">
          <InlineStack align="space-between" blockAlign="center" gap="200">
            <Text as="h2" variant="headingMd">
              {CHANNEL_TITLES[view.channel]}
            </Text>
            <StatusBadge view={view} />
          </InlineStack>
          {view.unreadable ? <Banner tone="critical">{view.unreadable}</Banner> : null}
          <FormLayout>
            {FIELDS[view.kind].map((def) => (
              <Field
                key={def.name}
                def={def}
                view={view}
                value={values[def.name] ?? ""}
                error={errors[def.name]}
                onChange={set(def.name)}
              />
            ))}
            <TextField
              name={RATE_FIELD}
              label={RATE_LABEL}
              type="number"
              autoComplete="off"
              value={values[RATE_FIELD] ?? ""}
              onChange={set(RATE_FIELD)}
              error={errors[RATE_FIELD]}
              helpText="The most this shop sends per second on this channel (your provider's limit)."
            />
          </FormLayout>
          {inboundUrl ? <InboundHelp url={inboundUrl} /> : null}
          {tested?.ok ? <Banner tone="success">{tested.detail}</Banner> : null}
          {tested && !tested.ok && !tested.field ? <Banner tone="critical">{tested.message}</Banner> : null}
          <InlineStack align="end" gap="300" blockAlign="center">
            <Announcement
              tone="success"
              message={saved?.ok && !saving ? (saved.changed ? "Saved. Test the connection before sending." : "Saved.") : null}
            />
            <Announcement visuallyHidden message={tested && !testing ? (tested.ok ? tested.detail : tested.message) : null} />
            <Button
              disabled={!view.configured || saving}
              loading={testing}
              onClick={() =>
                test.submit(
                  { intent: "test", channel: view.channel },
                  { method: "post", action: CHANNELS_ACTION },
                )
              }
            >
              Test connection
            </Button>
            <Button submit variant="primary" loading={saving}>
              Save
            </Button>
          </InlineStack>
        </BlockStack>
      </save.Form>
    </Card>
  );
}
