import { recordOptOuts } from "../unsubscribe/opt-out.server";
import type { DispatchDeps } from "./deps";
import type { DispatchChannel } from "./jobs";
import type { OutboxRow } from "./message";
import type { Outcome } from "./outbox.server";

// A provider refusing a message because the customer opted out (Twilio 21610: they replied STOP).
// writeOutcomes has already written the suppression with the row; this ends the customer's
// consent too, here and in Shopify, as their reply STOP at the incoming-message route does. It
// runs after the batch's results are stored, so a failure here never leaves accepted messages
// looking unsent; a batch without such a refusal costs one pass over its outcomes.

export async function recordRefusedOptOuts(
  deps: Pick<DispatchDeps, "prisma" | "queue" | "now" | "log">,
  shop: string,
  channel: DispatchChannel,
  rows: readonly OutboxRow[],
  outcomes: readonly Outcome[],
): Promise<void> {
  if (channel === "webhook") return;
  const refused = new Set<string>();
  for (const o of outcomes) if (o.kind === "failed" && o.suppress === "unsubscribed") refused.add(o.id);
  if (refused.size === 0) return;
  const customers = rows.filter((row) => refused.has(row.id)).map((row) => BigInt(row.customerId));
  try {
    const { queued } = await recordOptOuts(deps, shop, channel, customers);
    deps.log("info", "opt-outs the provider reported at send time recorded", {
      shop,
      channel,
      customers: customers.length,
      queued,
    });
  } catch (error) {
    // The suppression is stored and no later campaign reaches the customer; only Shopify's
    // consent stays behind, until the customer's next STOP or unsubscribe.
    deps.log("warn", "opt-outs the provider reported at send time not recorded", {
      shop,
      channel,
      customers: customers.length,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
