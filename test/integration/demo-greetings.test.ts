import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatSentTable, offeredPlaybooks, runCampaignDemo } from "../../scripts/demo/campaigns";
import { waitForSegments, waitForSync } from "../../scripts/demo/wait-for-sync";
import { startRunningDemo, type RunningDemo } from "./helpers/running-demo";

// The demo's own send, as `npm run demo` makes it: the store is backfilled from the emulator, Cyber
// Week is planned and the VIP campaign sent now to the local SMTP sink. Every email received there
// must greet its recipient by the first name the generated store gave that customer.

const SHOP = "greetings-store.myshopify.com";
let running: RunningDemo;

beforeAll(async () => {
  running = await startRunningDemo(
    { apiKey: "greetings-key", apiSecret: "greetings-secret", shop: SHOP, customers: 400, seed: 8, install: true },
    "demo-greetings-",
  );
});
afterAll(async () => {
  await running?.stop();
});

describe("the demo's campaign emails", () => {
  it("greet each VIP by the first name in the store, as the preview greets its sample customer", async () => {
    const { demo } = running;
    expect((await waitForSync(demo.appUrl, demo.emulator, SHOP, { timeoutMs: 120_000 })).backfill?.status).toBe("completed");
    await waitForSegments(demo.appUrl, demo.emulator, SHOP);
    const ctx = { appUrl: demo.appUrl, emulator: demo.emulator, shop: SHOP };
    const result = await runCampaignDemo(ctx, { playbooks: await offeredPlaybooks(ctx), segment: "vip" });
    process.stdout.write(`${formatSentTable(result)}\n`);
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);

    // The generator's truth, independent of the app: each recipient's first name.
    const store = demo.emulator.store(SHOP);
    const names = new Map([...store.customers].flatMap((c) => (c.email ? [[c.email, c.firstName] as const] : [])));
    const mails = demo.emulator.sinks.mail(500);
    const emailsSent = result.sent.find((r) => r.channel === "email")?.outbox ?? 0;
    expect(emailsSent).toBeGreaterThan(0);
    expect(mails).toHaveLength(emailsSent);
    const greetings = mails.map((m) => ({ to: m.to[0], first: m.text?.split(/\r?\n/)[0], html: /<p>Hi ([^<]*),<\/p>/.exec(m.html ?? "")?.[1] }));
    expect(greetings).toEqual(
      mails.map((m) => {
        const name = names.get(m.to[0] ?? "") ?? "(not a customer of the store)";
        const html = name.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&#34;").replaceAll("'", "&#39;");
        return { to: m.to[0], first: `Hi ${name},`, html };
      }),
    );
    expect(greetings.some((g) => g.first === "Hi there,")).toBe(false);
  }, 240_000);
});
