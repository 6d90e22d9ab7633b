import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { prisma } from "../db.server";
import { exportSegmentsCsv } from "../segments/report.server";

// GET /app/segments/export.csv[?segment=vip]: the shop's scored customers, streamed as CSV.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { body, filename } = await exportSegmentsCsv(prisma, session.shop, new URL(request.url).searchParams);
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
};
