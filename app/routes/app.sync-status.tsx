import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { prisma } from "../db.server";
import { latestBackfill, segmentCounts, storedCounts, webhookCounts } from "../sync/sync-status.server";

// JSON for whatever follows a sync from outside the page (the demo, monitoring).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [backfill, counts, webhooks, segments] = await Promise.all([
    latestBackfill(prisma, session.shop),
    storedCounts(prisma, session.shop),
    webhookCounts(prisma, session.shop),
    segmentCounts(prisma, session.shop),
  ]);
  return Response.json({ shop: session.shop, backfill, counts, webhooks, segments });
};
