import { useEffect } from "react";
import { useFetcher } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  InlineStack,
  Layout,
  SkeletonBodyText,
  Text,
} from "@shopify/polaris";
import { CHANNEL_TITLES } from "../../messaging/channel-config/channels";
import type { ChannelPostResult, ChannelsPageData } from "./types";
import { CHANNELS_ACTION, ChannelCard } from "./channel-card";

// The Channels section of Settings: email (SMTP), SMS (Twilio) and the outbound webhook. Its data
// comes from /app/settings/channels, so the Settings route only renders this.

function LocalSinksCard() {
  const fetcher = useFetcher<ChannelPostResult>({ key: "channels-local-sinks" });
  const result = fetcher.data?.intent === "use-local-sinks" ? fetcher.data : undefined;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Demo: local delivery sinks
        </Text>
        <Text as="p" tone="subdued">
          Next to the local Shopify run an SMTP server, a Twilio-compatible API and a webhook receiver that
          keep what they receive (see the outbox viewer at /sinks). This fills in and tests all three
          channels.
        </Text>
        {result && !result.ok ? <Banner tone="critical">{result.message}</Banner> : null}
        <div role="status" aria-live="polite">
          {result?.ok ? (
            <BlockStack gap="100">
              {result.results.map((r) => (
                <Text as="p" key={r.channel} tone={r.ok ? "success" : "critical"}>
                  {CHANNEL_TITLES[r.channel]}: {r.ok ? r.detail : r.message}
                </Text>
              ))}
            </BlockStack>
          ) : null}
        </div>
        <InlineStack align="end">
          <Button
            loading={fetcher.state !== "idle"}
            onClick={() =>
              fetcher.submit({ intent: "use-local-sinks" }, { method: "post", action: CHANNELS_ACTION })
            }
          >
            Use the local sinks
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

export function ChannelsSection({ title = "Channels" }: { title?: string }) {
  const fetcher = useFetcher<ChannelsPageData>({ key: "channels" });
  const { load } = fetcher;
  const loaded = fetcher.data !== undefined;
  useEffect(() => {
    if (!loaded) load(CHANNELS_ACTION);
  }, [loaded, load]);

  return (
    <Layout.AnnotatedSection
      title={title}
      description="How campaigns reach customers. Secrets are stored encrypted and never shown again; leave a secret blank to keep it. A campaign can only be scheduled on a channel whose connection test passed."
    >
      <BlockStack gap="400">
        {fetcher.data ? (
          <>
            {fetcher.data.localSinks ? <LocalSinksCard /> : null}
            {fetcher.data.channels.map((view) => (
              <ChannelCard
                key={view.channel}
                view={view}
                inboundUrl={view.channel === "sms" ? fetcher.data?.smsInboundUrl : undefined}
              />
            ))}
          </>
        ) : (
          <Card>
            <SkeletonBodyText lines={4} />
          </Card>
        )}
      </BlockStack>
    </Layout.AnnotatedSection>
  );
}
