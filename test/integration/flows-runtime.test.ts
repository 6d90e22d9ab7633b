import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enterFlowsAfterRescore } from "~/flows/enter-flows.server";
import { flowIdFor } from "~/flows/ids";
import { recordInstall } from "~/shops.server";
import { upsertProducts } from "~/sync/products/store-products.server";
import { flowWebhooks, giftProduct, orderPayload } from "../support/flow-webhooks";
import { databaseModes, type TestDatabase } from "./helpers/db";

// The abandoned checkout flow from webhooks to the outbox, on a clock the test moves: a checkout
// webhook enters the flow in the transaction that stores it; the first message is decided 60
// minutes after the checkout's last activity, with the cart's in-stock lines and its recovery link;
// an order ends the flow before its reminder; redelivered webhooks and re-run steps add nothing.

const SHOP = "flows-runtime.myshopify.com";
const CUSTOMER = 601n;
const T0 = new Date("2026-11-28T12:00:00Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

const checkoutPayload = (updatedAt: Date) => ({
  id: 9001,
  token: "tok-9001",
  email: "avery@example.com",
  created_at: at(-30).toISOString(),
  updated_at: updatedAt.toISOString(),
  completed_at: null,
  customer: { id: Number(CUSTOMER), email: "avery@example.com" },
  total_price: "40.00",
  currency: "USD",
  abandoned_checkout_url: "https://shop.example/checkouts/tok-9001/recover?key=k",
  line_items: [
    { product_id: 1, variant_id: 11, quantity: 1, title: "Merino Scarf", price: "24.00" },
    { product_id: 2, variant_id: 21, quantity: 2, title: "Festive Mug", price: "8.00" },
  ],
});

describe.each(databaseModes)("flows runtime: abandoned checkout ($name)", (mode) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let clock = T0;
  const { deliver, run } = flowWebhooks({
    prisma: () => prisma,
    shop: SHOP,
    now: () => clock,
    idPrefix: `f-${mode.name}`,
  });
  const messages = () => prisma.outboxMessage.findMany({ where: { shop: SHOP }, orderBy: { id: "asc" } });

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
        firstName: "Avery",
        email: "avery@example.com",
        emailMarketingState: "SUBSCRIBED",
        shopifyCreatedAt: at(-60 * 24 * 90),
        shopifyUpdatedAt: at(-60 * 24 * 90),
      },
    });
    await upsertProducts(prisma, SHOP, [giftProduct(1n), giftProduct(2n, { inStock: false })]);
    await prisma.flow.create({
      data: {
        id: flowIdFor(SHOP, "abandoned_checkout"),
        shop: SHOP,
        key: "abandoned_checkout",
        status: "on",
      },
    });
  });
  afterAll(async () => {
    await db.close();
  });

  it("enters on the checkout webhook, once however often it is delivered", async () => {
    clock = at(0);
    await deliver("checkouts/create", checkoutPayload(at(-10)));
    await deliver("checkouts/update", checkoutPayload(at(-10)));
    const enrollments = await prisma.flowEnrollment.findMany({ where: { shop: SHOP } });
    expect(enrollments).toHaveLength(1);
    expect(enrollments[0]).toMatchObject({
      flowKey: "abandoned_checkout",
      triggerEntityId: "9001",
      status: "waiting",
      customerId: CUSTOMER,
    });
    // 60 minutes after the last activity (11:50 UTC)
    expect(enrollments[0]?.wakeAt?.toISOString()).toBe(at(50).toISOString());
    expect((await run()).claimed).toBe(0);
  });

  it("sends the first message when due, with the in-stock lines and the recovery link, once", async () => {
    clock = at(51);
    const report = await run();
    expect(report).toMatchObject({ claimed: 1, decided: 1 });
    const rows = await messages();
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({
      campaignId: flowIdFor(SHOP, "abandoned_checkout"),
      channel: "email",
      status: row?.status === "holdout" ? "holdout" : "queued",
      customerId: CUSTOMER,
      // the flow counts toward the caps shared with campaigns unless the merchant says otherwise
      countsTowardCaps: true,
      // the customer has no zone: the shop's, in which the step was decided and dispatch checks
      // the quiet hours again (not UTC, which held texts until 08:00 UTC)
      timeZone: "America/New_York",
    });
    if (row?.status === "queued")
      expect(row.payload).toMatchObject({
        checkout: {
          url: "https://shop.example/checkouts/tok-9001/recover?key=k",
          lines: [{ title: "Merino Scarf", quantity: 1, price: "24.00" }],
        },
      });
    // running again (a second worker, a restart) decides nothing new and stores no copy
    expect((await run()).claimed).toBe(0);
    expect(await messages()).toHaveLength(1);
    const enrollment = await prisma.flowEnrollment.findFirstOrThrow({ where: { shop: SHOP } });
    expect(enrollment.status).toBe("waiting");
    expect(enrollment.leaseUntil).toBeNull();
  });

  it("an order ends the flow before its reminder, at once", async () => {
    clock = at(90);
    await deliver("orders/create", orderPayload(7001, CUSTOMER, at(89)));
    const woken = await prisma.flowEnrollment.findFirstOrThrow({
      where: { shop: SHOP, flowKey: "abandoned_checkout" },
    });
    expect(woken.wakeAt?.toISOString()).toBe(at(90).toISOString());
    await run();
    const ended = await prisma.flowEnrollment.findFirstOrThrow({
      where: { shop: SHOP, flowKey: "abandoned_checkout" },
    });
    expect(ended).toMatchObject({ status: "exited", exitReason: "converted" });
    clock = at(60 * 24 * 4);
    await run();
    const queued = (await messages()).filter((m) => m.status === "queued");
    expect(queued.length).toBeLessThanOrEqual(1);
  });

  it("a shop-wide rescore's move to lapsed starts win-back, once", async () => {
    clock = at(60 * 24 * 5);
    await prisma.flow.create({
      data: { id: flowIdFor(SHOP, "win_back"), shop: SHOP, key: "win_back", status: "on" },
    });
    await prisma.segmentTransition.create({
      data: {
        id: `t-${mode.name}`,
        shop: SHOP,
        customerId: CUSTOMER,
        fromSegment: "recent",
        toSegment: "lapsed",
        at: clock,
      },
    });
    expect(await enterFlowsAfterRescore(prisma, SHOP, clock, clock, { page: 1 })).toBe(1);
    expect(await enterFlowsAfterRescore(prisma, SHOP, clock, clock, { page: 1 })).toBe(0);
    const winBack = await prisma.flowEnrollment.findMany({ where: { shop: SHOP, flowKey: "win_back" } });
    expect(winBack).toHaveLength(1);
    expect(winBack[0]).toMatchObject({
      triggerEntityId: `t-${mode.name}`,
      triggerSegment: "lapsed",
      status: "waiting",
    });
  });
});
