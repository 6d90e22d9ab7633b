import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { fetchWithSessionToken, openAdminPage } from "../../scripts/demo/admin-request";
import type { Demo } from "../../scripts/demo/start-demo";
import { waitForSegments, waitForSync } from "../../scripts/demo/wait-for-sync";
import { startRunningDemo, type RunningDemo } from "./helpers/running-demo";
import { waitFor } from "./helpers/wait-for";

// The Campaigns pages and their JSON twin in the running app (the built Remix app as `npm run
// demo` starts it): both get their dependencies from one place, so with a background threshold
// of one customer (CAMPAIGN_BACKGROUND_PLAN_FROM) the twin queues the plan job exactly as the page
// does, and the job plans; and the pages show no placeholder left unrendered.

const SHOP = "campaigns-app.myshopify.com";

const List = z.object({
  playbooks: z.array(z.object({ key: z.string(), year: z.number() })),
  campaigns: z.array(
    z.object({ id: z.string(), key: z.string(), segment: z.string(), enabled: z.boolean(), planned: z.boolean(), planning: z.boolean() }),
  ),
});
const Wizard = z.object({ ok: z.literal(true), year: z.number(), planned: z.array(z.unknown()), notes: z.array(z.string()) });
const Action = z.object({ ok: z.literal(true), intent: z.string(), message: z.string() });

/** What a merchant reads on a server-rendered page: no scripts or styles, no tags, entities decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

/** `{year}`-like placeholders a template string forgot to fill (Liquid's `{{ … }}` and `{% … %}` are not). */
const UNRENDERED = /(?<!\{)\{\s*[A-Za-z_$][\w.$]*\s*\}(?!\})|\$\{[^}]*\}|\[object Object\]/;

describe("the Campaigns pages in the running app", () => {
  let running: RunningDemo | undefined;
  let demo: Demo;
  beforeAll(async () => {
    running = await startRunningDemo(
      { apiKey: "campaigns-app-key", apiSecret: "campaigns-app-secret", shop: SHOP, customers: 80, seed: 5, install: true, env: { CAMPAIGN_BACKGROUND_PLAN_FROM: "1" } },
      "campaigns-app-",
    );
    ({ demo } = running);
    await waitForSync(demo.appUrl, demo.emulator, SHOP, { timeoutMs: 90_000 });
    await waitForSegments(demo.appUrl, demo.emulator, SHOP, { timeoutMs: 90_000 });
  });
  afterAll(async () => {
    await running?.stop();
  });

  const post = (path: string, form: Record<string, string>) =>
    fetchWithSessionToken(`${demo.appUrl}${path}`, demo.emulator, SHOP, { method: "POST", body: new URLSearchParams(form) });
  const list = async () => List.parse(await (await fetchWithSessionToken(`${demo.appUrl}/app/campaigns.json`, demo.emulator, SHOP)).json());

  it("queues the plan of a large audience from the JSON twin exactly as from the page, and the job plans it", async () => {
    const { playbooks } = await list();
    const yearOf = (key: string) => String(playbooks.find((p) => p.key === key)?.year ?? "");

    // The twin's wizard: nothing planned in the request, the job asked for.
    const twin = await post("/app/campaigns.json", { intent: "plan-playbook", playbook: "christmas", year: yearOf("christmas"), country: "US" });
    expect(twin.status).toBe(200);
    const planned = Wizard.parse(await twin.json());
    expect(planned.planned).toEqual([]);
    expect(planned.notes).toEqual(expect.arrayContaining([expect.stringMatching(/^Planning \d+ campaigns for \d+ customers in the background/)]));

    // The page's wizard, posted as a browser posts the form: the same answer.
    const page = await post("/app/campaigns?index", { intent: "plan-playbook", playbook: "cyber-week", year: yearOf("cyber-week"), country: "US" });
    expect(page.status).toBe(200);
    expect(visibleText(await page.text())).toMatch(/Planning \d+ campaigns for \d+ customers in the background/);

    // One campaign's plan from the twin: the background too.
    const vip = (await list()).campaigns.find((c) => c.key.startsWith("christmas-") && c.segment === "vip");
    const single = await post("/app/campaigns.json", { intent: "plan", campaignId: vip?.id ?? "" });
    expect(Action.parse(await single.json()).message).toMatch(/^Planning \d+ customers in the background/);

    // The worker's job plans every enabled campaign of both playbooks.
    await waitFor(
      "the background plans",
      async () => (await list()).campaigns.filter((c) => c.enabled).every((c) => c.planned && !c.planning),
      60_000,
      async () => (await list()).campaigns.map((c) => [c.key, c.planned, c.planning]),
    );
    expect((await list()).campaigns.filter((c) => c.enabled)).toHaveLength(8);
  });

  it("renders every placeholder of the campaigns pages", async () => {
    const { campaigns, playbooks } = await list();
    const year = Math.min(...playbooks.map((p) => p.year));
    const paths = ["/app/campaigns", ...campaigns.map((c) => `/app/campaigns/${c.id}`)];
    for (const path of paths) {
      const page = await openAdminPage(demo.appUrl, demo.emulator, SHOP, path);
      expect(page.status, path).toBe(200);
      const text = visibleText(await page.text());
      expect(text.match(UNRENDERED)?.[0], path).toBeUndefined();
      if (path === "/app/campaigns") expect(text).toContain(`Season calendar ${year} (US)`);
    }
  });
});
