import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { flowsPage, flowsPageAction } from "../ui/flows/flows-env.server";

// The Flows page as JSON for scripts (the demo, tests): with Single Fetch, page data is a
// turbo-stream, not JSON. The same loader and action as the page. GET: every flow with its
// settings and counts (?template=<key> a preview, ?customer=<id> a timeline); POST: the page's
// intents (turn-on, turn-off, save-settings, peak-preset, try-template, save-template,
// reset-template, test-flow).

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const page = await flowsPage(session.shop, new URL(request.url).searchParams);
  return Response.json(page);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const result = await flowsPageAction(session.shop, await request.formData());
  return Response.json(result, { status: result.ok ? 200 : result.status });
};
