import { z } from "zod";
import { stepMessageKey } from "../../app/flows/ids";
import type { Emulator } from "../../test/emulator/index";
import { fetchWithSessionToken } from "./admin-request";
import type { DemoCheck } from "./check";
import { trackedDestinations, withoutUtm } from "./tracked-links";

// The demo's flow step, driven like a merchant and a shopper: the merchant turns the abandoned
// checkout flow on (the Flows page's JSON twin); a shopper who is subscribed to email put an
// in-stock product in a cart an hour ago and left; the emulator sends the signed checkouts/create
// webhook; the app's flow decides the first message and the dispatcher sends it to the SMTP sink,
// where the demo reads it (also in the outbox viewer).

interface Ctx {
  appUrl: string;
  emulator: Emulator;
  shop: string;
}

export interface FlowDemo {
  /** seconds from the webhook to the email at the sink */
  seconds: number | null;
  subject: string | null;
  checks: DemoCheck[];
}

const Answer = z.object({ ok: z.boolean() }).passthrough();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runFlowDemo(ctx: Ctx, { timeoutMs = 90_000 } = {}): Promise<FlowDemo> {
  const on = await fetchWithSessionToken(new URL("/app/flows.json", ctx.appUrl).toString(), ctx.emulator, ctx.shop, {
    method: "POST",
    body: new URLSearchParams({ intent: "turn-on", flow: "abandoned_checkout" }),
  });
  const answer = Answer.safeParse(await on.json().catch(() => null));
  if (!on.ok || !answer.success || !answer.data.ok) throw new Error(`the abandoned checkout flow could not be turned on: HTTP ${on.status}`);

  const store = ctx.emulator.store(ctx.shop);
  // the first few thousand customers are plenty to find one subscribed shopper; not one who just
  // bought (an order after the cart was left ends the flow, rightly) nor one the campaign just
  // emailed (the frequency cap would rightly hold the flow's email back)
  const leftAt = Date.now() - 61 * 60_000;
  const orderedSince = (i: number) => store.ordersOf(i).some((j) => Date.parse(store.order(j).createdAt) >= leftAt);
  const emailed = new Set(ctx.emulator.sinks.mail(Number.MAX_SAFE_INTEGER).flatMap((m) => m.to));
  const customerIndex = store.customers
    .slice(0, 5_000)
    .findIndex(
      (c, i) =>
        Boolean(c.email && c.firstName) &&
        c.emailMarketingConsent?.marketingState === "SUBSCRIBED" &&
        !emailed.has(c.email ?? "") &&
        !orderedSince(i),
    );
  const productIndex = store.products.findIndex(
    (p) => p.status === "ACTIVE" && p.publishedAt !== null && p.variants.some((v) => v.availableForSale && v.inventoryQuantity > 0),
  );
  const product = store.products[productIndex];
  const variantIndex = product ? product.variants.findIndex((v) => v.availableForSale && v.inventoryQuantity > 0) : -1;
  const customer = store.customers.at(customerIndex);
  if (!customer || !product || variantIndex < 0) throw new Error("the generated store has no subscribed customer or no product in stock");

  const started = Date.now();
  const checkout = ctx.emulator.startCheckout(ctx.shop, {
    customerIndex,
    lines: [{ productIndex, variantIndex, quantity: 1 }],
    at: new Date(leftAt),
  });
  // the first message of the flow, by its idempotency key (step 1: after the first wait)
  const customerId = store.customerLegacyId(customerIndex);
  const keys = new Set([0, 1, 2].map((step) => stepMessageKey(ctx.shop, "abandoned_checkout", checkout.legacyResourceId, step, "email")));
  let mail = undefined as ReturnType<Emulator["sinks"]["mail"]>[number] | undefined;
  while (!mail && Date.now() - started < timeoutMs) {
    mail = ctx.emulator.sinks.mail(200).find((m) => m.key !== null && keys.has(m.key));
    if (!mail) await sleep(250);
  }
  const seconds = mail ? (Date.now() - started) / 1000 : null;
  const text = mail?.text ?? "";
  const recovery = withoutUtm(checkout.abandonedCheckoutUrl);
  const linked = (await trackedDestinations(text, ctx.appUrl)).some((url) => withoutUtm(url) === recovery);
  return {
    seconds,
    subject: mail?.subject ?? null,
    checks: [
      {
        name: "an abandoned checkout's first email went out through the flow",
        ok: mail !== undefined,
        detail: mail ? `at the SMTP sink ${seconds?.toFixed(1)} s after the checkout webhook (customer ${customerId})` : `none within ${timeoutMs / 1000} s`,
      },
      {
        name: "it greets the shopper by name and links back to their checkout (through its tracked link)",
        ok: mail !== undefined && text.split(/\r?\n/)[0] === `Hi ${customer.firstName},` && linked,
        detail: mail ? `first line ${text.split(/\r?\n/)[0] === `Hi ${customer.firstName},` ? "greets by name" : "does not greet by name"}, recovery link ${linked ? "present" : "missing"}` : "no email",
      },
    ],
  };
}
