import { useEffect, useRef } from "react";
import { Form, Link, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, InlineStack, Text, type BannerHandles } from "@shopify/polaris";

const ACTIONS: Record<string, Array<{ intent: string; label: string; primary?: boolean; destructive?: boolean }>> = {
  draft: [
    { intent: "plan", label: "Plan" },
    { intent: "schedule", label: "Schedule", primary: true },
    { intent: "send-now", label: "Send now" },
    { intent: "cancel", label: "Cancel campaign", destructive: true },
  ],
  scheduled: [
    { intent: "pause", label: "Pause" },
    { intent: "cancel", label: "Cancel campaign", destructive: true },
  ],
  sending: [
    { intent: "pause", label: "Pause" },
    { intent: "cancel", label: "Cancel campaign", destructive: true },
  ],
  paused: [
    { intent: "resume", label: "Resume", primary: true },
    { intent: "cancel", label: "Cancel campaign", destructive: true },
  ],
};

interface Props {
  status: string;
  readiness: Record<string, boolean>;
  channels: string[];
  result?: { ok: boolean; message: string };
}

/**
 * Schedule / send now / pause / resume / cancel, each a Remix form post; the answer in a Banner.
 * The pressed button usually goes with the old status, so focus moves to the answer instead of
 * falling back to the page.
 */
export function CampaignActions({ status, readiness, channels, result }: Props) {
  const navigation = useNavigation();
  const answer = useRef<BannerHandles>(null);
  useEffect(() => {
    if (result) answer.current?.focus();
  }, [result]);
  const pending = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const notReady = channels.filter((c) => readiness[c] === false);
  return (
    <BlockStack gap="300">
      {result ? (
        <Banner ref={answer} tone={result.ok ? "success" : "critical"}>
          <p>{result.message}</p>
        </Banner>
      ) : null}
      {status === "draft" && notReady.length > 0 ? (
        <Text as="p" tone="caution">
          Not tested yet: {notReady.join(", ")}. Scheduling needs every channel the plan sends on to pass its
          connection test (<Link to="/app/settings/channels">Settings → Channels</Link>).
        </Text>
      ) : null}
      <InlineStack gap="200">
        {(ACTIONS[status] ?? []).map((a) => (
          <Form method="post" key={a.intent}>
            <input type="hidden" name="intent" value={a.intent} />
            <Button
              submit
              variant={a.primary ? "primary" : undefined}
              tone={a.destructive ? "critical" : undefined}
              loading={pending === a.intent}
              disabled={Boolean(pending) && pending !== a.intent}
            >
              {a.label}
            </Button>
          </Form>
        ))}
        {ACTIONS[status] ? null : (
          <Text as="p" tone="subdued">
            This campaign is {status}: nothing more to do.
          </Text>
        )}
      </InlineStack>
    </BlockStack>
  );
}
