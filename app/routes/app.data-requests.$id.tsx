import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { prisma } from "../db.server";
import { getDataRequest } from "../sync/compliance/compliance.server";

// The file a merchant sends a customer who asked for their data (customers/data_request).
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const found = await getDataRequest(prisma, session.shop, params.id ?? "");
  if (!found) throw new Response("No such data request", { status: 404 });
  return new Response(JSON.stringify(found.export, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="customer-${found.customerId}-data.json"`,
      "Cache-Control": "no-store",
    },
  });
};
