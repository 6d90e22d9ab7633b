import { useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, InlineStack, List, Text, TextField } from "@shopify/polaris";
import { Announcement } from "../announcement";
import { useFocusWhenDone } from "../use-focus-when-done";
import type { FlowView, TestReadiness } from "./flows-page.server";

// "Test with a sample event": every message of the flow, now, to the merchant's own address and
// phone, with the flow's sample data (a made-up customer, cart, products). Nothing is recorded.

interface ActionData {
  ok: boolean;
  message: string;
  fieldErrors?: Record<string, string>;
  messages?: Array<{ step: string; channel: string; ok: boolean; message: string }>;
}

function readinessLine(name: string, r: TestReadiness): string | null {
  if (!r.configured) return `${name} is not set up yet (Settings → Channels).`;
  if (!r.testOk) return `${name} has not passed its connection test (Settings → Channels).`;
  return null;
}

export function FlowTestForm({
  flow,
  readiness,
}: {
  flow: FlowView;
  readiness: Record<"email" | "sms", TestReadiness>;
}) {
  const fetcher = useFetcher<ActionData>();
  const [email, setEmail] = useState("");
  const [phone, setPhone] = useState("");
  const busy = fetcher.state !== "idle";
  const done = busy ? undefined : fetcher.data;
  const answer = useFocusWhenDone<HTMLDivElement>(busy);
  const sms = flow.templates.some((t) => t.channels.some((c) => c.channel === "sms"));
  const notes = [
    readinessLine("Email", readiness.email),
    sms ? readinessLine("SMS", readiness.sms) : null,
  ].filter(Boolean);
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="test-flow" />
      <input type="hidden" name="flow" value={flow.key} />
      <BlockStack gap="300">
        <Text as="h3" variant="headingSm">
          Test with a sample event
        </Text>
        <Text as="p" tone="subdued">
          Sends every message of this flow now, one per step and channel, with the sample data (a made-up
          customer{flow.key === "abandoned_checkout" ? " and cart" : ""}), marked [Test]. Nothing is recorded
          and no customer hears of it. At most 10 test sends an hour.
        </Text>
        {notes.map((n) => (
          <Text as="p" tone="caution" key={n}>
            {n}
          </Text>
        ))}
        <InlineStack gap="200" blockAlign="end">
          <TextField
            label="Your email address"
            name="email"
            id={`${flow.key}-test-email`}
            type="email"
            autoComplete="email"
            value={email}
            onChange={setEmail}
            error={done?.fieldErrors?.email}
          />
          {sms ? (
            <TextField
              label="Your phone number (E.164, e.g. +15551234567)"
              name="phone"
              id={`${flow.key}-test-phone`}
              type="tel"
              autoComplete="tel"
              value={phone}
              onChange={setPhone}
              error={done?.fieldErrors?.phone}
            />
          ) : null}
          <Button submit loading={busy} accessibilityLabel={`Test with a sample event: ${flow.name}`}>
            Test with a sample event
          </Button>
        </InlineStack>
        <Announcement visuallyHidden message={done?.ok ? done.message : null} />
        <div ref={answer} tabIndex={-1}>
          {done ? (
            <Banner tone={done.ok && (done.messages ?? []).every((m) => m.ok) ? "success" : "critical"}>
              <Text as="p">{done.message}</Text>
              {done.messages && done.messages.length > 0 ? (
                <List>
                  {done.messages.map((m) => (
                    <List.Item key={`${m.step}-${m.channel}`}>
                      {m.step} ({m.channel === "sms" ? "SMS" : "email"}): {m.message}
                    </List.Item>
                  ))}
                </List>
              ) : null}
            </Banner>
          ) : null}
        </div>
      </BlockStack>
    </fetcher.Form>
  );
}
