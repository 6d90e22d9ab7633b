import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "~/db.server";
import { readCheckoutsWithStock } from "~/sync/checkouts/read-checkouts.server";
import { startDemo, type Demo } from "../../scripts/demo/start-demo";
import { syncStatus, waitForQuiet, waitForSync } from "../../scripts/demo/wait-for-sync";
import { databaseModes, type DatabaseTarget } from "./helpers/db";

// The whole path: the emulator's shoppers start, change and abandon checkouts, Shopify-signed
// checkouts/* webhooks reach the running app, and the checkouts the flows read are stored with
// their carts; each line's stock is that of the variant the backfill stored.

const SHOP = "checkout-path.myshopify.com";

describe.each(databaseModes)("emulated checkouts through the running app ($name)", (mode) => {
  let demo: Demo;
  let database: DatabaseTarget;
  let dataDir: string;
  let processed = 0;

  const settle = async (more: number) => {
    processed += more;
    await expect
      .poll(async () => (await syncStatus(demo.appUrl, demo.emulator, SHOP)).webhooks, { timeout: 30_000 })
      .toEqual({ received: 0, processed, failed: 0 });
  };

  beforeAll(async () => {
    database = await mode.target();
    dataDir = database.dataDir ?? mkdtempSync(join(tmpdir(), "checkout-path-"));
    demo = await startDemo({
      apiKey: "checkout-path-key",
      apiSecret: "checkout-path-secret",
      shop: SHOP,
      customers: 40,
      seed: 4,
      dataDir,
      databaseUrl: database.databaseUrl,
      install: true,
    });
    await waitForSync(demo.appUrl, demo.emulator, SHOP, { timeoutMs: 60_000 });
    processed = (await waitForQuiet(demo.appUrl, demo.emulator, SHOP)).webhooks.processed;
  });

  afterAll(async () => {
    await demo?.stop();
    await database?.cleanup();
  });

  it("stores live and replayed checkouts with their carts, tokens and recovery URLs", async () => {
    const store = demo.emulator.store(SHOP);
    const live = demo.emulator.startCheckout(SHOP, {
      customerIndex: 2,
      lines: [{ productIndex: 0, variantIndex: 0, quantity: 1 }],
    });
    await settle(1);
    demo.emulator.updateCheckout(SHOP, live._index, {
      lines: [
        { productIndex: 1, variantIndex: 0, quantity: 2 },
        { productIndex: 3, variantIndex: 0, quantity: 1 },
      ],
    });
    await settle(1);
    const abandoned = store.abandonedCheckoutIndices()[0] ?? -1;
    const statuses = [
      ...(await demo.emulator.sendCheckoutWebhooks(SHOP, abandoned)),
      ...(await demo.emulator.sendCheckoutWebhooks(SHOP, 0)),
    ];
    expect(statuses.map((s) => s.status)).toEqual([200, 200, 200, 200]);
    await settle(4);

    const expected = [live._index, abandoned, 0].map((k) => demo.emulator.store(SHOP).checkout(k));
    await demo.stop();
    const db = await createDatabase({ dataDir, databaseUrl: database.databaseUrl });
    try {
      const read = await readCheckoutsWithStock(
        db.prisma,
        SHOP,
        expected.map((k) => BigInt(k.legacyResourceId)),
        new Date(),
      );
      for (const k of expected) {
        const checkout = read.get(BigInt(k.legacyResourceId));
        expect(checkout, k.id).toMatchObject({
          token: k._token,
          email: k._email,
          recoveryUrl: k.abandonedCheckoutUrl,
          totalMinor: BigInt(k._totalMinor),
          completedAt: k.completedAt ? new Date(k.completedAt) : null,
          updatedAt: new Date(k.updatedAt),
        });
        expect(checkout?.lineItems.map((li) => [li.variantId, li.quantity, li.stock])).toEqual(
          k.lineItems.map((li) => {
            const product = store.products[li._productIndex];
            const variant = product?.variants[li._variantIndex];
            const onSale = product?.status === "ACTIVE" && product.publishedAt !== null;
            return [
              BigInt(li._variantLegacyId),
              li.quantity,
              !onSale ? "not_for_sale" : variant?.availableForSale ? "in_stock" : "sold_out",
            ];
          }),
        );
      }
      expect(read.get(BigInt(live.legacyResourceId))?.lineItems).toHaveLength(2);
    } finally {
      await db.close();
    }
  });
});
