import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { prisma } from "../db.server";
import { isCampaignError } from "../campaigns/lifecycle/campaign-error";
import { campaignAction } from "../ui/campaigns/campaign-action.server";
import { loadCampaignDetail } from "../ui/campaigns/campaign-detail.server";
import { loadCampaignsPage, planPlaybookFromForm } from "../ui/campaigns/campaigns-page.server";
import { campaignDeps } from "../campaigns/deps.server";
import { shopReadiness } from "../messaging.server";
import { campaignActionEnv, kickDispatch, playbookBackground } from "../ui/campaigns/page-env.server";

// The Campaigns pages as JSON for scripts (the demo, tests): with Single Fetch, page data is a
// turbo-stream, not JSON. The same loaders and actions as the pages, with the same dependencies
// (ui/campaigns/page-env.server.ts), so large audiences are planned in the background here too. GET: the list, or ?campaign=<id> one campaign; POST: the same intents as
// the pages (plan-playbook; plan, schedule, send-now, pause, resume, cancel, save-template,
// reset-template, send-test with campaignId).

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const params = new URL(request.url).searchParams;
  const id = params.get("campaign");
  if (id === null) return Response.json(await loadCampaignsPage(prisma, session.shop, params));
  try {
    return Response.json(await loadCampaignDetail(prisma, session.shop, id, params, await shopReadiness(session.shop)));
  } catch (error) {
    if (isCampaignError(error, "NOT_FOUND")) return Response.json({ ok: false, message: error.message }, { status: 404 });
    throw error;
  }
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  if (form.get("intent") === "plan-playbook") {
    const result = await planPlaybookFromForm(campaignDeps(), session.shop, form, playbookBackground(session.shop));
    return Response.json(result, { status: result.ok ? 200 : result.status });
  }
  const id = String(form.get("campaignId") ?? "");
  const result = await campaignAction(campaignActionEnv(session.shop), session.shop, id, form);
  if (!result.ok) return Response.json(result, { status: result.status });
  if (result.kick) await kickDispatch(session.shop, id);
  return Response.json(result);
};
