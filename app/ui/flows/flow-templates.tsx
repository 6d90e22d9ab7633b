import { useState } from "react";
import { Link as RemixLink, useFetcher, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, InlineStack, Text, TextField } from "@shopify/polaris";
import { Announcement } from "../announcement";
import { RenderOutput, TemplateOutcome } from "../campaigns/message-preview";
import { useFocusWhenDone } from "../use-focus-when-done";
import type { FlowTemplatePreview } from "./flow-preview.server";
import type { FlowView } from "./flows-page.server";

// A flow's messages: one line per send step with its channels and whether the merchant saved their
// own template; the step picked (?template=) shows each channel's message for the sample customer,
// with its template to edit, preview (not saved), save, or take back to the default.

type Render = FlowTemplatePreview["channels"][number]["result"];

interface ActionData {
  ok: boolean;
  message?: string;
  render?: Render;
  templateErrors?: Array<{ part: string; line: number; column: number; message: string }>;
  fieldErrors?: Record<string, string>;
}

// Both channels' boxes are on the page together: each label names its channel.
const FIELD_LABELS: Record<string, string> = {
  subject: "Email subject",
  text: "Email text body",
  html: "Email HTML body",
  body: "SMS text",
};
const CHANNEL = (c: string) => (c === "sms" ? "SMS" : "Email");

// A short content hash for a React key: the box starts again from a template the server changed.
function digest(text: string): string {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}

function TemplateBox({
  templateKey,
  channel,
  template,
  saved,
}: {
  templateKey: string;
  channel: string;
  template: Record<string, string>;
  saved: boolean;
}) {
  const fetcher = useFetcher<ActionData>();
  const fields = channel === "sms" ? ["body"] : ["subject", "text", "html"];
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(fields.map((f) => [f, template[f] ?? ""])),
  );
  const busy = fetcher.state === "idle" ? null : fetcher.formData?.get("intent");
  const submit = (intent: string) =>
    fetcher.submit({ ...values, intent, templateKey, channel }, { method: "post" });
  const answer = useFocusWhenDone<HTMLDivElement>(Boolean(busy));
  const done = fetcher.state === "idle" ? fetcher.data : undefined;
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
        <Button
          onClick={() => submit("try-template")}
          loading={busy === "try-template"}
          disabled={Boolean(busy)}
        >
          Preview
        </Button>
        <Button
          variant="primary"
          onClick={() => submit("save-template")}
          loading={busy === "save-template"}
          disabled={Boolean(busy)}
        >
          Save template
        </Button>
        {saved ? (
          <Button
            onClick={() => submit("reset-template")}
            loading={busy === "reset-template"}
            disabled={Boolean(busy)}
          >
            Use the default
          </Button>
        ) : null}
      </InlineStack>
      <Announcement
        visuallyHidden
        message={done?.ok && !(done.render && !done.render.ok) ? done.message : null}
      />
      <div ref={answer} tabIndex={-1}>
        {done ? <TemplateOutcome data={done} /> : null}
      </div>
    </BlockStack>
  );
}

function TemplateEditor({ preview }: { preview: FlowTemplatePreview }) {
  return (
    <BlockStack gap="400">
      <Text as="p" tone="subdued">
        Shown with the sample customer {preview.sampleCustomer}, never a real one. {preview.note ?? ""} A
        message that does not render is never sent.
      </Text>
      {preview.channels.map((c) => (
        <BlockStack gap="200" key={c.channel}>
          <InlineStack gap="200">
            <Text as="h4" variant="headingSm">
              {`${preview.step}: ${CHANNEL(c.channel)}`}
            </Text>
            {c.saved ? <Badge tone="info">your template</Badge> : <Badge>default template</Badge>}
            {c.result.ok ? (
              <Badge tone="success">renders</Badge>
            ) : (
              <Badge tone="critical">does not render</Badge>
            )}
          </InlineStack>
          <RenderOutput result={c.result} />
          <TemplateBox
            key={`${preview.templateKey}:${c.channel}:${c.saved ? "saved" : "default"}:${digest(JSON.stringify(c.template))}`}
            templateKey={preview.templateKey}
            channel={c.channel}
            template={c.template}
            saved={c.saved}
          />
        </BlockStack>
      ))}
    </BlockStack>
  );
}

export function FlowTemplates({ flow, preview }: { flow: FlowView; preview: FlowTemplatePreview | null }) {
  const [params] = useSearchParams();
  const linkTo = (templateKey: string | null) => {
    const next = new URLSearchParams(params);
    if (templateKey) next.set("template", templateKey);
    else next.delete("template");
    return `?${next.toString()}`;
  };
  const mine = preview && preview.flowKey === flow.key ? preview : null;
  return (
    <BlockStack gap="300">
      <Text as="h3" variant="headingSm">
        Messages
      </Text>
      {flow.templates.map((t) => (
        <Box key={t.templateKey} paddingBlockEnd="100">
          <InlineStack gap="300" blockAlign="center">
            <Text as="span" fontWeight="semibold">
              {t.step}
            </Text>
            {t.channels.map((c) => (
              <Badge key={c.channel} tone={c.saved ? "info" : undefined}>
                {`${CHANNEL(c.channel)}${c.saved ? ": your template" : ""}`}
              </Badge>
            ))}
            {mine?.templateKey === t.templateKey ? (
              <RemixLink to={linkTo(null)} preventScrollReset>
                {`Close the ${t.step.toLowerCase()} preview`}
              </RemixLink>
            ) : (
              <RemixLink to={linkTo(t.templateKey)} preventScrollReset>
                {`Preview and edit ${t.step.toLowerCase()}`}
              </RemixLink>
            )}
          </InlineStack>
        </Box>
      ))}
      {mine ? <TemplateEditor key={mine.templateKey} preview={mine} /> : null}
    </BlockStack>
  );
}
