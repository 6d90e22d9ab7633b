import type { LoaderFunctionArgs } from "@remix-run/node";
import { prisma } from "../db.server";
import { authenticate } from "../shopify.server";
import { loadResultsOverview } from "../ui/results/results-overview.server";
import { loadResultsPage } from "../ui/results/results-page.server";

// The Results pages as JSON for scripts (the demo, tests): with Single Fetch, page data is a
// turbo-stream. `?id=<campaign or flow id>`: that Results page's data; without: the season overview.

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = new URL(request.url).searchParams.get("id");
  if (id === null) return Response.json(await loadResultsOverview(prisma, session.shop));
  const page = await loadResultsPage(prisma, session.shop, id);
  return page
    ? Response.json(page)
    : Response.json({ error: "No such campaign or flow in this shop" }, { status: 404 });
};
