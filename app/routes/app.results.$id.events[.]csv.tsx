import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { prisma } from "../db.server";
import { exportEventsCsv } from "../ui/results/events-csv.server";

// GET /app/results/:id/events.csv: every send, event and credited order of one campaign or flow, streamed.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const file = await exportEventsCsv(prisma, session.shop, params.id ?? "");
  if (!file) throw new Response("No such campaign or flow in this shop", { status: 404 });
  return new Response(file.body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "no-store",
    },
  });
};
