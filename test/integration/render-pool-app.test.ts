import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { fetchWithSessionToken } from "../../scripts/demo/admin-request";
import type { Demo } from "../../scripts/demo/start-demo";
import { worstLatencyDuring } from "../support/latency";
import { startRunningDemo, type RunningDemo } from "./helpers/running-demo";

// The built app as `npm start` runs it (server.ts, tsx, the Remix build): its render pool's worker
// threads load from there, render the campaign page's previews, and keep the app answering while
// a merchant tries a deliberately slow template.

const SHOP = "render-pool.myshopify.com";
const SLOW =
  "{% for a in (1..50) %}{% for b in (1..10000) %}{% assign c = b | times: a %}{% endfor %}{% endfor %}";
const CampaignList = z.object({
  campaigns: z.array(z.object({ id: z.string(), segment: z.string() })),
  playbooks: z.array(z.object({ key: z.string(), year: z.number() })),
});

describe("the render pool in the running app", () => {
  let running: RunningDemo | undefined;
  let demo: Demo;
  const admin = (path: string, init: RequestInit = {}) =>
    fetchWithSessionToken(`${demo.appUrl}${path}`, demo.emulator, SHOP, init);
  const post = (path: string, fields: Record<string, string>) =>
    admin(path, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });

  beforeAll(async () => {
    running = await startRunningDemo(
      {
        apiKey: "render-pool-key",
        apiSecret: "render-pool-secret",
        shop: SHOP,
        customers: 30,
        seed: 4,
        install: true,
      },
      "render-pool-",
    );
    demo = running.demo;
  });
  afterAll(async () => {
    await running?.stop();
  });

  it("previews through the pool, and a slow template's try leaves a plain page fast", async () => {
    // The next Cyber Week not yet over, as the wizard offers it on today's date.
    const offered = CampaignList.parse(await (await admin("/app/campaigns.json")).json());
    const year = offered.playbooks.find((p) => p.key === "cyber-week")?.year;
    const planned = await post("/app/campaigns.data", {
      intent: "plan-playbook",
      playbook: "cyber-week",
      year: String(year),
      country: "US",
    });
    expect(planned.status).toBe(200);
    const list = CampaignList.parse(await (await admin("/app/campaigns.json")).json());
    const campaign = list.campaigns.find((c) => c.segment === "vip") ?? list.campaigns[0];
    if (!campaign) throw new Error("no campaign planned");

    // The page's preview renders the default templates in the pool's threads.
    const page = await admin(`/app/campaigns/${campaign.id}.data?_routes=routes%2Fapp.campaigns.%24id`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("unsubscribe");

    let tried: Response | undefined;
    let tryMs = 0;
    const { worstMs, requests } = await worstLatencyDuring(`${demo.appUrl}/`, async () => {
      const started = performance.now();
      tried = await post(`/app/campaigns/${campaign.id}.data`, {
        intent: "try-template",
        sendKey: "launch",
        channel: "email",
        subject: "Hi",
        html: `${SLOW}<p>{{ unsubscribeUrl }}</p>`,
        text: `${SLOW}{{ unsubscribeUrl }}`,
      });
      tryMs = performance.now() - started;
    });
    if (!tried) throw new Error("no answer to the try");
    expect(tried.status).toBe(200);
    expect(await tried.text()).toContain("template render limit exceeded");
    // Saving checks two customers: four slow parts of 250 ms, in a worker thread.
    expect(tryMs).toBeGreaterThan(900);
    expect(requests).toBeGreaterThan(10);
    expect(worstMs).toBeLessThan(400);
  });
});
