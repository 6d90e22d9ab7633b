import { useEffect, useRef, useState } from "react";
import { Form, Link, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, InlineStack, Text, type BannerHandles } from "@shopify/polaris";
import { formatCount } from "../format";
import { ConfirmAction } from "./confirm-action";

type Intent = "plan" | "schedule" | "send-now" | "pause" | "resume" | "cancel" | "delete";

// Send now, cancel and delete cannot be undone: they ask first (ConfirmAction).
const ACTIONS: Record<string, Array<{ intent: Intent; label: string; primary?: boolean }>> = {
  draft: [
    { intent: "plan", label: "Plan" },
    { intent: "schedule", label: "Schedule", primary: true },
    { intent: "send-now", label: "Send now" },
    { intent: "cancel", label: "Cancel campaign" },
    { intent: "delete", label: "Delete campaign" },
  ],
  scheduled: [
    { intent: "pause", label: "Pause" },
    { intent: "cancel", label: "Cancel campaign" },
  ],
  sending: [
    { intent: "pause", label: "Pause" },
    { intent: "cancel", label: "Cancel campaign" },
  ],
  paused: [
    { intent: "resume", label: "Resume", primary: true },
    { intent: "cancel", label: "Cancel campaign" },
  ],
  cancelled: [{ intent: "delete", label: "Delete campaign" }],
};

export interface CurrentPlan {
  /** messages the plan sends (not held out, not skipped) */
  toSend: number;
  byChannel: Array<{ channel: string; toSend: number }>;
}

interface Props {
  name: string;
  status: string;
  readiness: Record<string, boolean>;
  channels: string[];
  /** the campaign's current plan; null when it has none (never planned, or changed since) */
  plan: CurrentPlan | null;
  /** outbox rows the campaign holds (deleted with it) */
  rows: number;
  result?: { ok: boolean; message: string };
}

const NOUNS: Record<string, [string, string]> = { email: ["email", "emails"], sms: ["text", "texts"], webhook: ["webhook call", "webhook calls"] };
const messages = (n: number, channel?: string) => {
  const [one, many] = (channel && NOUNS[channel]) || ["message", "messages"];
  return `${formatCount(n)} ${n === 1 ? one : many}`;
};

function SendNowQuestion({ plan }: { plan: CurrentPlan | null }) {
  if (!plan)
    return (
      <Text as="p">
        This campaign has no current plan, so how many messages would go out is not known. Plan it first: the audience
        preview then shows the count.
      </Text>
    );
  if (plan.toSend === 0) return <Text as="p">The current plan sends no message: every customer is held out or skipped (see the audience preview).</Text>;
  const parts = plan.byChannel.filter((c) => c.toSend > 0).map((c) => messages(c.toSend, c.channel));
  return (
    <BlockStack gap="200">
      <Text as="p" fontWeight="semibold">
        {messages(plan.toSend)} will go out: {parts.join(" and ")}.
      </Text>
      <Text as="p">
        The campaign is planned again with its first send due now (texts at the next opening of their hours) and scheduled;
        later sends go at their own times. A sent message cannot be recalled.
      </Text>
    </BlockStack>
  );
}

/**
 * Schedule / send now / pause / resume / cancel / delete, each a Remix form post; the answer in a
 * Banner. The pressed button usually goes with the old status, so focus moves to the answer
 * instead of falling back to the page.
 */
export function CampaignActions({ name, status, readiness, channels, plan, rows, result }: Props) {
  const navigation = useNavigation();
  // The answer stays until the next one: the page's polling reloads its data, which drops the
  // action's result (the page mounts this per campaign, so another campaign starts empty).
  const [shown, setShown] = useState(result);
  if (result && result !== shown) setShown(result);
  const answer = useRef<BannerHandles>(null);
  useEffect(() => {
    if (!shown) return;
    // A confirmation modal keeps focus inside itself until it has closed, and then hands it back
    // to its button a frame later: focus the answer once both are done.
    let frame = 0;
    let framesSinceDialog = 0;
    const started = Date.now();
    const focusAnswer = () => {
      framesSinceDialog = document.querySelector('[role="dialog"]') ? 0 : framesSinceDialog + 1;
      if (framesSinceDialog < 3 && Date.now() - started < 2_000) frame = requestAnimationFrame(focusAnswer);
      else answer.current?.focus();
    };
    focusAnswer();
    return () => cancelAnimationFrame(frame);
  }, [shown]);
  const pending = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const notReady = channels.filter((c) => readiness[c] === false);
  const toSend = plan && plan.toSend > 0 ? plan.toSend : null;
  return (
    <BlockStack gap="300">
      {shown ? (
        <Banner ref={answer} tone={shown.ok ? "success" : "critical"}>
          <p>{shown.message}</p>
        </Banner>
      ) : null}
      {status === "draft" && notReady.length > 0 ? (
        <Text as="p" tone="caution">
          Not tested yet: {notReady.join(", ")}. Scheduling needs every channel the plan sends on to pass its
          connection test (<Link to="/app/settings/channels">Settings → Channels</Link>).
        </Text>
      ) : null}
      <InlineStack gap="200">
        {(ACTIONS[status] ?? []).map((a) => {
          switch (a.intent) {
            case "send-now":
              return (
                <ConfirmAction key={a.intent} intent={a.intent} label={a.label} title="Send now?" confirm={toSend === null ? null : `Send ${messages(toSend)} now`}>
                  <SendNowQuestion plan={plan} />
                </ConfirmAction>
              );
            case "cancel":
              return (
                <ConfirmAction key={a.intent} intent={a.intent} label={a.label} title={`Cancel ${name}?`} confirm="Cancel campaign" destructive>
                  <Text as="p">
                    Every message not sent yet is skipped, and a cancelled campaign cannot be scheduled again. Messages already
                    sent stay sent.
                  </Text>
                </ConfirmAction>
              );
            case "delete":
              return (
                <ConfirmAction key={a.intent} intent={a.intent} label={a.label} title={`Delete ${name}?`} confirm="Delete campaign" destructive>
                  <Text as="p">
                    {rows > 0 ? `The campaign and its ${messages(rows)} that never went out (planned, held out or skipped) are deleted.` : "The campaign is deleted."}{" "}
                    This cannot be undone; the playbook wizard can plan it again.
                  </Text>
                </ConfirmAction>
              );
            case "plan":
            case "schedule":
            case "pause":
            case "resume":
              return (
                <Form method="post" key={a.intent}>
                  <input type="hidden" name="intent" value={a.intent} />
                  <Button submit variant={a.primary ? "primary" : undefined} loading={pending === a.intent} disabled={Boolean(pending) && pending !== a.intent}>
                    {a.label}
                  </Button>
                </Form>
              );
            default: {
              const unknown: never = a.intent;
              throw new Error(`no button for ${String(unknown)}`);
            }
          }
        })}
        {ACTIONS[status] ? null : (
          <Text as="p" tone="subdued">
            This campaign is {status}: nothing more to do.
          </Text>
        )}
      </InlineStack>
    </BlockStack>
  );
}
