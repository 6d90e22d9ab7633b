import { z } from "zod";
import type { Emulator } from "../../test/emulator/index";
import { fetchWithSessionToken } from "./admin-request";
import type { DemoCheck } from "./check";
import type { ShoppersResult } from "./shoppers";

// The demo's results step: reads the campaign's Results page data (its JSON twin,
// /app/results.json?id=…) until every order the shoppers placed after a tracked click
// is credited, then prints the funnel and the lift card.

const Step = z.object({
  key: z.string(),
  label: z.string(),
  value: z.string(),
  count: z.number().nullable(),
});
const Page = z.object({
  funnel: z.array(Step),
  lift: z.object({ card: z.object({ state: z.string(), headline: z.string(), lines: z.array(z.string()) }) }),
});
type Page = z.infer<typeof Page>;

interface Ctx {
  appUrl: string;
  emulator: Emulator;
  shop: string;
}

async function readPage(ctx: Ctx, campaignId: string): Promise<Page> {
  const url = `${ctx.appUrl}/app/results.json?id=${encodeURIComponent(campaignId)}`;
  const response = await fetchWithSessionToken(url, ctx.emulator, ctx.shop);
  const body: unknown = await response.json().catch(() => null);
  const parsed = Page.safeParse(body);
  if (!response.ok || !parsed.success) throw new Error(`results of ${campaignId}: HTTP ${response.status}`);
  return parsed.data;
}

const countOf = (page: Page, key: string) => page.funnel.find((s) => s.key === key)?.count ?? 0;

export async function waitForResults(
  ctx: Ctx,
  campaignId: string,
  shoppers: ShoppersResult,
  timeoutMs = 60_000,
): Promise<{ page: Page; checks: DemoCheck[] }> {
  const deadline = Date.now() + timeoutMs;
  let page = await readPage(ctx, campaignId);
  while (countOf(page, "ordered") < shoppers.creditable && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    page = await readPage(ctx, campaignId);
  }
  const ordered = countOf(page, "ordered");
  return {
    page,
    checks: [
      {
        name: "every order placed after a tracked click is credited to the campaign, and nothing else is",
        ok: ordered === shoppers.creditable && shoppers.creditable > 0,
        detail: `${ordered} credited, ${shoppers.creditable} placed by customers who clicked`,
      },
      {
        name: "human opens and clicks are counted, Apple's privacy proxy apart",
        ok: countOf(page, "opened") === shoppers.opened && countOf(page, "clicked") === shoppers.clicked,
        detail: `opened ${countOf(page, "opened")}/${shoppers.opened}, clicked ${countOf(page, "clicked")}/${shoppers.clicked}`,
      },
      {
        name: "the Results page shows a lift interval",
        ok:
          page.lift.card.state !== "none" &&
          /between/.test([page.lift.card.headline, ...page.lift.card.lines].join(" ")),
        detail: page.lift.card.headline,
      },
    ],
  };
}

export function formatResults(page: Page): string {
  const funnel = page.funnel.map((s) => `${s.label.toLowerCase()} ${s.value}`).join(" → ");
  return [
    `results: ${funnel}`,
    `lift: ${page.lift.card.headline}`,
    ...page.lift.card.lines.map((l) => `  ${l}`),
  ].join("\n");
}
