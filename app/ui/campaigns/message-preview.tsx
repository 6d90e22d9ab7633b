import { useState } from "react";
import { Link as RemixLink, useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, InlineStack, List, Text, TextField } from "@shopify/polaris";
import { Announcement } from "../announcement";
import { useFocusWhenDone } from "../use-focus-when-done";
import { SEND_LABELS } from "./status-badge";

type Rendered =
  | { channel: "email"; subject: string; html: string; text: string }
  | { channel: "sms"; body: string; sms: { encoding: string; characters: number; segments: number } };
type Render = { ok: true; message: Rendered } | { ok: false; errors: Array<{ part: string; line: number; column: number; message: string }> };

export interface PreviewData {
  sendKey: string;
  sends: string[];
  sampleCustomer: string;
  channels: Array<{ channel: string; template: { channel: string } & Record<string, string>; saved: boolean; result: Render }>;
  other: string[];
}

type TemplateErrors = Array<{ part: string; line: number; column: number; message: string }>;

// As the merchant sees the parts in the template box (an SMS has one part, its body).
const PART_LABELS: Record<string, string> = { subject: "Subject", html: "HTML body", text: "Text body", sms: "SMS body" };

/** Each error by part, line and column: what the merchant fixes. */
function ErrorList({ errors }: { errors: TemplateErrors }) {
  return (
    <List>
      {errors.map((e) => (
        <List.Item key={`${e.part}-${e.line}-${e.column}-${e.message}`}>
          {PART_LABELS[e.part] ?? e.part}, line {e.line}, column {e.column}: {e.message}
        </List.Item>
      ))}
    </List>
  );
}

export function RenderOutput({ result }: { result: Render }) {
  if (!result.ok)
    return (
      <Banner tone="critical" title="Does not render: this message is never sent until it is fixed">
        <ErrorList errors={result.errors} />
      </Banner>
    );
  const m = result.message;
  if (m.channel === "sms")
    return (
      <BlockStack gap="200">
        <Box background="bg-surface-secondary" padding="300" borderRadius="200">
          <Text as="p">{m.body}</Text>
        </Box>
        <Text as="p" tone="subdued">
          {m.sms.characters} characters · {m.sms.segments} {m.sms.segments === 1 ? "segment" : "segments"} · {m.sms.encoding}
        </Text>
      </BlockStack>
    );
  return (
    <BlockStack gap="200">
      <Text as="p">
        <strong>Subject:</strong> {m.subject}
      </Text>
      <Box background="bg-surface-secondary" padding="300" borderRadius="200">
        <pre style={{ whiteSpace: "pre-wrap", margin: 0, fontFamily: "inherit" }}>{m.text}</pre>
      </Box>
    </BlockStack>
  );
}

interface ActionData {
  ok: boolean;
  message?: string;
  render?: Render;
  templateErrors?: TemplateErrors;
  fieldErrors?: Record<string, string>;
}

const FIELD_LABELS: Record<string, string> = { subject: "Subject", text: "Text body", html: "HTML body", body: "SMS" };

// A short content hash for a React key: the box starts again from a template the server changed.
function digest(text: string): string {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}

/**
 * The answer to Preview, Save template, Use the default and Send test: a template that does not
 * render is an error (critical, each error by part, line and column) even when the action itself
 * worked; only a message that renders shows in full.
 */
const outcomeErrors = (data: ActionData) =>
  data.render && !data.render.ok ? data.render.errors : (data.templateErrors ?? []);

/** A success to read out (errors are critical banners, which are alerts and read out as they appear). */
function SuccessAnnouncement({ data, idle }: { data: ActionData | undefined; idle: boolean }) {
  const ok = idle && data && data.ok && outcomeErrors(data).length === 0;
  return <Announcement visuallyHidden message={ok ? data.message : null} />;
}

export function TemplateOutcome({ data }: { data: ActionData }) {
  const errors = outcomeErrors(data);
  const failed = !data.ok || errors.length > 0;
  return (
    <BlockStack gap="200">
      {data.message || failed ? (
        <Banner tone={failed ? "critical" : "success"} title={data.message}>
          {errors.length > 0 ? <ErrorList errors={errors} /> : null}
        </Banner>
      ) : null}
      {data.render?.ok ? <RenderOutput result={data.render} /> : null}
    </BlockStack>
  );
}

/** The send's template of one channel: edit, preview (render only), save while a draft, or go back to the default. */
function TemplateBox({ channel, sendKey, template, saved, editable }: { channel: string; sendKey: string; template: Record<string, string>; saved: boolean; editable: boolean }) {
  const fetcher = useFetcher<ActionData>();
  const fields = channel === "sms" ? ["body"] : ["subject", "text", "html"];
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(fields.map((f) => [f, template[f] ?? ""])));
  const busy = fetcher.state === "idle" ? null : fetcher.formData?.get("intent");
  const submit = (intent: string) => fetcher.submit({ ...values, intent, sendKey, channel }, { method: "post" });
  const answer = useFocusWhenDone<HTMLDivElement>(Boolean(busy));
  return (
    <BlockStack gap="200">
      {fields.map((f) => (
        <TextField
          key={f}
          label={FIELD_LABELS[f] ?? f}
          value={values[f] ?? ""}
          onChange={(v) => setValues((old) => ({ ...old, [f]: v }))}
          multiline={f === "subject" ? undefined : f === "html" ? 8 : 5}
          maxHeight={f === "subject" ? undefined : 320}
          autoComplete="off"
          monospaced
          disabled={Boolean(busy)}
        />
      ))}
      <InlineStack gap="200">
        <Button onClick={() => submit("try-template")} loading={busy === "try-template"} disabled={Boolean(busy)}>
          Preview
        </Button>
        {editable ? (
          <Button variant="primary" onClick={() => submit("save-template")} loading={busy === "save-template"} disabled={Boolean(busy)}>
            Save template
          </Button>
        ) : null}
        {editable && saved ? (
          <Button onClick={() => submit("reset-template")} loading={busy === "reset-template"} disabled={Boolean(busy)}>
            Use the default
          </Button>
        ) : null}
      </InlineStack>
      {editable ? null : (
        <Text as="p" tone="subdued">
          Templates can be saved while the campaign is a draft.
        </Text>
      )}
      <SuccessAnnouncement data={fetcher.data} idle={fetcher.state === "idle"} />
      <div ref={answer} tabIndex={-1}>
        {fetcher.data && fetcher.state === "idle" ? <TemplateOutcome data={fetcher.data} /> : null}
      </div>
    </BlockStack>
  );
}

/** Sends this send's saved message, with the sample customer and marked [Test], to the merchant. */
function TestSend({ channel, sendKey }: { channel: string; sendKey: string }) {
  const fetcher = useFetcher<ActionData>();
  const [to, setTo] = useState("");
  const sms = channel === "sms";
  const toField = `send-test-to-${sendKey}-${channel}`;
  const wrongTo = fetcher.state === "idle" ? fetcher.data?.fieldErrors?.to : undefined;
  const answer = useFocusWhenDone<HTMLDivElement>(fetcher.state !== "idle", () =>
    wrongTo ? document.getElementById(toField) : null,
  );
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="send-test" />
      <input type="hidden" name="channel" value={channel} />
      <input type="hidden" name="sendKey" value={sendKey} />
      <BlockStack gap="200">
        <InlineStack gap="200" blockAlign="end">
          <TextField
            label={sms ? "Your phone number (E.164, e.g. +15551234567)" : "Your email address"}
            name="to"
            id={toField}
            type={sms ? "tel" : "email"}
            value={to}
            onChange={setTo}
            autoComplete={sms ? "tel" : "email"}
            error={wrongTo}
          />
          <Button submit loading={fetcher.state !== "idle"}>
            Send test
          </Button>
        </InlineStack>
        <Text as="p" tone="subdued">
          Sends the saved message with the sample customer, marked [Test]; never recorded as a campaign message. At most 10 an hour.
        </Text>
        <SuccessAnnouncement data={fetcher.data} idle={fetcher.state === "idle"} />
        <div ref={answer} tabIndex={-1}>
          {fetcher.data && fetcher.state === "idle" && !fetcher.data.fieldErrors?.to ? <TemplateOutcome data={fetcher.data} /> : null}
        </div>
      </BlockStack>
    </fetcher.Form>
  );
}

/** Each channel's message for one send, with the sample customer of the campaign's segment. */
export function MessagePreview({ preview, editable }: { preview: PreviewData; editable: boolean }) {
  return (
    <BlockStack gap="400">
      <InlineStack gap="300">
        {preview.sends.map((s) => (
          <RemixLink key={s} to={`?send=${s}`} preventScrollReset>
            {s === preview.sendKey ? <strong>{SEND_LABELS[s] ?? s}</strong> : (SEND_LABELS[s] ?? s)}
          </RemixLink>
        ))}
      </InlineStack>
      <Text as="p" tone="subdued">
        Shown with the sample customer {preview.sampleCustomer}, never a real one. A message that does not render is never sent.
      </Text>
      {preview.channels.map((c) => (
        <BlockStack gap="200" key={c.channel}>
          <InlineStack gap="200">
            <Text as="h3" variant="headingSm">
              {c.channel === "sms" ? "SMS" : "Email"}
            </Text>
            {c.saved ? <Badge tone="info">your template</Badge> : <Badge>default template</Badge>}
            {c.result.ok ? <Badge tone="success">renders</Badge> : <Badge tone="critical">does not render</Badge>}
          </InlineStack>
          <RenderOutput result={c.result} />
          <TemplateBox
            key={`${preview.sendKey}:${c.channel}:${c.saved ? "saved" : "default"}:${digest(JSON.stringify(c.template))}`}
            channel={c.channel}
            sendKey={preview.sendKey}
            template={c.template}
            saved={c.saved}
            editable={editable}
          />
          <TestSend key={`${preview.sendKey}:${c.channel}`} channel={c.channel} sendKey={preview.sendKey} />
        </BlockStack>
      ))}
      {preview.other.map((c) => (
        <Text as="p" key={c} tone="subdued">
          {c}: a JSON payload with the customer id, segment and campaign.
        </Text>
      ))}
    </BlockStack>
  );
}
