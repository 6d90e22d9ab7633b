import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { prisma } from "../db.server";
import { loadSyncStatus } from "../sync/sync-status-page.server";

// The Sync status page as JSON for whatever follows a sync from outside the page (the demo, tests,
// monitoring): with Single Fetch, page data is a turbo-stream, not JSON.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return Response.json(await loadSyncStatus(prisma, session.shop));
};
