import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { loadChannels, postChannels } from "../ui/channels/channels-page.server";

// Settings → Channels as JSON for scripts (the demo, tests): GET the channels (secrets shown as
// "set" / "not set"); POST the page's intents (save, test, use-local-sinks).

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return Response.json(await loadChannels(session.shop));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return Response.json(await postChannels(session.shop, await request.formData()));
};
