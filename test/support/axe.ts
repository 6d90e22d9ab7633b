import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Frame, Page } from "playwright-core";
import { z } from "zod";

// axe-core, the accessibility engine, injected from its npm package into a page or the app's
// frame (no network), and its serious and critical findings as one readable line each.

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const AxeResults = z.object({
  violations: z.array(
    z.object({
      id: z.string(),
      impact: z.string().nullable().optional(),
      help: z.string(),
      nodes: z.array(z.object({ target: z.array(z.unknown()), failureSummary: z.string().optional() })),
    }),
  ),
});

export const BLOCKING_IMPACTS = ["serious", "critical"];

/**
 * Runs every axe rule on the document and returns the serious and critical violations as
 * "<page>: <impact> <rule> at <target> — <what to fix>", one per element, so a failing test lists
 * exactly what to fix and where.
 */
export async function axeViolations(target: Page | Frame, pageName: string): Promise<string[]> {
  await target.evaluate(axeSource);
  const raw: unknown = await target.evaluate(`axe.run(document, { resultTypes: ["violations"] })`);
  const { violations } = AxeResults.parse(raw);
  return violations
    .filter((v) => BLOCKING_IMPACTS.includes(v.impact ?? ""))
    .flatMap((v) =>
      v.nodes.map((node) => {
        const fix = (node.failureSummary ?? v.help).replace(/\s+/g, " ").trim();
        return `${pageName}: ${v.impact} ${v.id} at ${node.target.map(String).join(" ")} — ${fix}`;
      }),
    );
}
