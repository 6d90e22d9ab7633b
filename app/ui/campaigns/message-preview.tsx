import { useState } from "react";
import { Link as RemixLink, useFetcher } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, InlineStack, List, Text, TextField } from "@shopify/polaris";
import { SEND_LABELS } from "./status-badge";

type Rendered =
  | { channel: "email"; subject: string; html: string; text: string }
  | { channel: "sms"; body: string; sms: { encoding: string; characters: number; segments: number } };
type Render = { ok: true; message: Rendered } | { ok: false; errors: Array<{ part: string; line: number; column: number; message: string }> };

export interface PreviewData {
  sendKey: string;
  sends: string[];
  sampleCustomer: string;
  channels: Array<{ channel: string; template: { channel: string } & Record<string, string>; result: Render }>;
  other: string[];
}

export function RenderOutput({ result }: { result: Render }) {
  if (!result.ok)
    return (
      <List>
        {result.errors.map((e) => (
          <List.Item key={`${e.part}-${e.line}-${e.column}-${e.message}`}>
            <Text as="span" tone="critical">
              {e.part} line {e.line}, column {e.column}: {e.message}
            </Text>
          </List.Item>
        ))}
      </List>
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

function TryTemplate({ channel, template }: { channel: string; template: Record<string, string> }) {
  const fetcher = useFetcher<{ render?: Render; message?: string }>();
  const field = channel === "sms" ? "body" : "text";
  const [value, setValue] = useState(template[field] ?? "");
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="try-template" />
      <input type="hidden" name="channel" value={channel} />
      {channel === "email" ? (
        <>
          <input type="hidden" name="subject" value={template.subject ?? ""} />
          <input type="hidden" name="html" value={template.html ?? ""} />
        </>
      ) : null}
      <BlockStack gap="200">
        <TextField label={`Try a change to the ${channel === "sms" ? "SMS" : "email text"} (not saved)`} name={field} value={value} onChange={setValue} multiline={4} autoComplete="off" monospaced />
        <div>
          <Button submit loading={fetcher.state !== "idle"}>
            Render
          </Button>
        </div>
        {fetcher.data?.render ? <RenderOutput result={fetcher.data.render} /> : null}
      </BlockStack>
    </fetcher.Form>
  );
}

/** Each channel's message for one send, with the sample customer of the campaign's segment. */
export function MessagePreview({ preview }: { preview: PreviewData }) {
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
            {c.result.ok ? <Badge tone="success">renders</Badge> : <Badge tone="critical">does not render</Badge>}
          </InlineStack>
          <RenderOutput result={c.result} />
          <TryTemplate channel={c.channel} template={c.template} />
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
