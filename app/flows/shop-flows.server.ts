import type { PrismaClient } from "@prisma/client";
import type { FlowDefinition } from "./definition";
import { shopFlowSettings } from "./flow-settings.server";
import { shopFlows } from "./settings";

// A shop's flows as the runtime decides with them: the settings the Flows page saved (read and
// validated by flow-settings.server.ts; a flow is enabled only while it is on), applied to the
// built-in definitions. A shop without rows has every flow off.

export async function loadShopFlows(db: Pick<PrismaClient, "flow">, shop: string): Promise<FlowDefinition[]> {
  return shopFlows(await shopFlowSettings(db, shop));
}
