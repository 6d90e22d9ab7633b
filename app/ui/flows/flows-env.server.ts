import { prisma } from "../../db.server";
import { shopReadiness, testSendDeps } from "../../messaging.server";
import { flowsAction, type FlowsActionEnv, type FlowsActionResult } from "./flows-action.server";
import { loadFlowsPage, type FlowsPage } from "./flows-page.server";

// The Flows page and its JSON twin wired to the running app: the database, the shop's channel
// readiness and the test sends (the same hourly limit as the campaigns' "Send test").

export function flowsActionEnv(shop: string): FlowsActionEnv {
  return { prisma, readiness: () => shopReadiness(shop), testSend: testSendDeps() };
}

/** The page's data for the session's shop. */
export async function flowsPage(shop: string, params: URLSearchParams): Promise<FlowsPage> {
  return loadFlowsPage(prisma, shop, params, await shopReadiness(shop));
}

/** One of the page's posts for the session's shop. */
export function flowsPageAction(shop: string, form: FormData): Promise<FlowsActionResult> {
  return flowsAction(flowsActionEnv(shop), shop, form);
}
