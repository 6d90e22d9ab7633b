import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flowIdFor } from "~/flows/ids";
import { withdrawnFlowMessages } from "~/flows/flow-withdrawals.server";
import type { OutboxRow } from "~/messaging/dispatch/message";
import { MessagePayload } from "~/messaging/templates/variables";
import { recordInstall } from "~/shops.server";
import { upsertProducts } from "~/sync/products/store-products.server";
import { flowWebhooks, giftProduct, orderPayload } from "../support/flow-webhooks";
import { databaseModes, type TestDatabase } from "./helpers/db";

// What an order does to a customer's flows (the rehearsal found both going wrong). It wakes the
// waiting enrollments so that those it ends (converted) end at once, but a step it does not end
// still waits for its due time: the post-purchase cross-sell of a first order is not sent the
// moment the customer places a second one. And a flow message decided just before the order and
// still queued is withdrawn with the order, not sent after it.

const SHOP = "flows-orders.myshopify.com";
const CUSTOMER = 702n;
const OTHER = 703n;
const T0 = new Date("2026-11-28T15:00:00Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

const checkout = (updatedAt: Date, id = 9101, customer = CUSTOMER) => ({
  id,
  token: `tok-${id}`,
  email: `c${customer}@example.com`,
  created_at: updatedAt.toISOString(),
  updated_at: updatedAt.toISOString(),
  completed_at: null,
  customer: { id: Number(customer), email: `c${customer}@example.com` },
  total_price: "32.00",
  currency: "USD",
  abandoned_checkout_url: `https://shop.example/checkouts/tok-${id}/recover?key=k`,
  line_items: [
    { product_id: 1, variant_id: 11, quantity: 1, title: "Merino Scarf", price: "24.00" },
    { product_id: 2, variant_id: 21, quantity: 1, title: "Festive Mug", price: "8.00" },
  ],
});

describe.each(databaseModes)("flows: an order wakes only what it ends ($name)", (mode) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let clock = T0;
  const { deliver, run } = flowWebhooks({
    prisma: () => prisma,
    shop: SHOP,
    now: () => clock,
    idPrefix: `w-${mode.name}`,
  });
  const order = (id: number, placed: Date, customer = CUSTOMER) => orderPayload(id, customer, placed);

  beforeAll(async () => {
    db = await mode.open();
    prisma = db.prisma;
    await recordInstall(prisma, { shop: SHOP, scopes: "read_customers,read_orders,read_products" });
    await prisma.session.create({
      data: { id: `offline_${SHOP}`, shop: SHOP, state: "s", accessToken: "shpat_x" },
    });
    await prisma.shop.update({
      where: { domain: SHOP },
      data: { name: "Holiday Shop", ianaTimezone: "America/New_York", currencyCode: "USD" },
    });
    await prisma.customer.create({
      data: {
        shop: SHOP,
        id: CUSTOMER,
        firstName: "Blake",
        email: "blake@example.com",
        emailMarketingState: "SUBSCRIBED",
        shopifyCreatedAt: at(-60 * 24 * 90),
        shopifyUpdatedAt: at(-60 * 24 * 90),
      },
    });
    for (const key of ["post_purchase_cross_sell", "abandoned_checkout"])
      await prisma.flow.create({
        data: { id: flowIdFor(SHOP, key), shop: SHOP, key, status: "on", setting: { holdoutShare: 0 } },
      });
    await upsertProducts(prisma, SHOP, [giftProduct(1n), giftProduct(2n)]);
    await prisma.customer.create({
      data: {
        shop: SHOP,
        id: OTHER,
        email: `c${OTHER}@example.com`,
        emailMarketingState: "SUBSCRIBED",
        shopifyCreatedAt: at(-60 * 24 * 90),
        shopifyUpdatedAt: at(-60 * 24 * 90),
      },
    });
  });
  afterAll(async () => {
    await db.close();
  });

  it("a second order leaves the first order's cross-sell waiting for its due time", async () => {
    clock = at(0);
    await deliver("orders/create", order(8101, at(0)));
    const [first] = await prisma.flowEnrollment.findMany({ where: { shop: SHOP } });
    expect(first).toMatchObject({ flowKey: "post_purchase_cross_sell", status: "waiting" });
    const due = first?.dueAt?.toISOString();
    expect(due).toBe(at(7 * 24 * 60).toISOString());

    clock = at(60);
    await deliver("orders/create", order(8102, at(60)));
    await run();
    expect(await prisma.outboxMessage.count({ where: { shop: SHOP } })).toBe(0);
    const after = await prisma.flowEnrollment.findUniqueOrThrow({ where: { id: first?.id ?? "" } });
    expect(after).toMatchObject({ status: "waiting", leaseUntil: null });
    expect(after.wakeAt?.toISOString()).toBe(due);
  });

  it("an abandoned-checkout message still queued when the order arrives is withdrawn with it", async () => {
    clock = at(24 * 60); // a day later: the re-entry rule does not hold this checkout back
    await deliver("checkouts/create", checkout(at(24 * 60 - 59)));
    clock = at(24 * 60 + 2);
    await run();
    const queued = await prisma.outboxMessage.findFirstOrThrow({ where: { shop: SHOP, status: "queued" } });
    expect(queued).toMatchObject({ channel: "email", sendKey: "abandoned_checkout.first" });

    clock = at(24 * 60 + 3);
    await deliver("orders/create", order(8103, at(24 * 60 + 3)));
    const withdrawn = await prisma.outboxMessage.findUniqueOrThrow({ where: { id: queued.id } });
    expect(withdrawn).toMatchObject({ status: "skipped", skipReason: "converted" });
    // the cross-sell's own message is untouched
    expect(await prisma.outboxMessage.count({ where: { shop: SHOP, status: "queued" } })).toBe(0);
    await run();
    const ended = await prisma.flowEnrollment.findFirstOrThrow({
      where: { shop: SHOP, flowKey: "abandoned_checkout" },
    });
    expect(ended).toMatchObject({ status: "exited", exitReason: "converted" });
  });

  it("right before a claimed message goes out, a cart item sold out since or an order withdraws it", async () => {
    clock = at(2 * 24 * 60);
    await deliver("checkouts/create", checkout(at(2 * 24 * 60 - 59), 9102, OTHER));
    clock = at(2 * 24 * 60 + 2);
    await run();
    const stored = await prisma.outboxMessage.findFirstOrThrow({ where: { shop: SHOP, customerId: OTHER } });
    expect(stored).toMatchObject({ status: "queued", channel: "email" });
    // a sender claims it, and dies before sending it
    await prisma.outboxMessage.update({ where: { id: stored.id }, data: { status: "sending" } });
    const row: OutboxRow = {
      id: stored.id,
      customerId: String(stored.customerId),
      sendKey: stored.sendKey,
      segment: stored.segment,
      channel: "email",
      timeZone: stored.timeZone,
      attempts: 1,
      payload: MessagePayload.parse(stored.payload),
    };
    expect(row.payload?.checkout?.lines.map((l) => l.title)).toEqual(["Merino Scarf", "Festive Mug"]);
    expect(await withdrawnFlowMessages(prisma, SHOP, [row])).toEqual(new Map());

    await upsertProducts(prisma, SHOP, [
      { ...giftProduct(2n), inStock: false, shopifyUpdatedAt: at(2 * 24 * 60 + 3) },
    ]);
    expect(await withdrawnFlowMessages(prisma, SHOP, [row])).toEqual(new Map([[stored.id, "sold_out"]]));

    clock = at(2 * 24 * 60 + 4);
    await deliver("orders/create", order(8104, at(2 * 24 * 60 + 4), OTHER));
    // claimed: the order could not withdraw it; the sender's last look does
    expect(await prisma.outboxMessage.findUniqueOrThrow({ where: { id: stored.id } })).toMatchObject({
      status: "sending",
    });
    expect(await withdrawnFlowMessages(prisma, SHOP, [row])).toEqual(new Map([[stored.id, "converted"]]));
  });

  it("an order wakes the flows it can end, not a step another flow holds for caps or quiet hours", async () => {
    clock = at(5 * 24 * 60);
    const heldUntil = at(5 * 24 * 60 + 16 * 60);
    for (const flowKey of ["welcome", "win_back"])
      await prisma.flowEnrollment.create({
        data: {
          id: `held-${mode.name}-${flowKey}`,
          shop: SHOP,
          flowKey,
          triggerEntityId: `t-${flowKey}`,
          customerId: OTHER,
          triggeredAt: clock,
          holdout: false,
          status: "waiting",
          stepIndex: 0,
          dueAt: clock,
          wakeAt: heldUntil,
        },
      });
    await deliver("orders/create", order(8190, clock, OTHER));
    const rows = await prisma.flowEnrollment.findMany({
      where: { id: { startsWith: `held-${mode.name}-` } },
      orderBy: { flowKey: "asc" },
    });
    // win-back ends on an order (and on leaving its segment); a welcome does not
    expect(rows.map((r) => [r.flowKey, r.wakeAt?.toISOString()])).toEqual([
      ["welcome", heldUntil.toISOString()],
      ["win_back", clock.toISOString()],
    ]);
  });
});
