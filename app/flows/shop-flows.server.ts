import type { PrismaClient } from "@prisma/client";
import { BUILT_IN_FLOW_KEYS } from "./built-in";
import type { FlowDefinition } from "./definition";
import { parseFlowSettings, shopFlows } from "./settings";

// A shop's flows as the runtime reads them: the Flow rows' settings (validated again when read),
// each flow enabled only while its row is on. A shop without rows has every flow off: the merchant
// turns each on (and Shopify's own abandoned checkout email off).

export type FlowDb = Pick<PrismaClient, "flow">;

export async function loadShopFlows(
  db: FlowDb,
  shop: string,
  log: (line: string) => void = () => {},
): Promise<FlowDefinition[]> {
  const rows = await db.flow.findMany({ where: { shop }, select: { key: true, status: true, setting: true } });
  const input: Record<string, unknown> = {};
  for (const key of BUILT_IN_FLOW_KEYS) {
    const row = rows.find((r) => r.key === key);
    const setting = row?.setting && typeof row.setting === "object" && !Array.isArray(row.setting) ? row.setting : {};
    input[key] = { ...setting, enabled: row?.status === "on" };
  }
  const parsed = parseFlowSettings(input);
  if (parsed.ok) return shopFlows(parsed.settings);
  // a stored setting that no longer validates: the flows run with their defaults, and it is said
  log(`flow settings of ${shop} invalid at ${parsed.issues.map((i) => i.path).join(", ")}: defaults used`);
  const fallback = Object.fromEntries(BUILT_IN_FLOW_KEYS.map((key) => [key, { enabled: rows.some((r) => r.key === key && r.status === "on") }]));
  const defaults = parseFlowSettings(fallback);
  return defaults.ok ? shopFlows(defaults.settings) : [];
}
