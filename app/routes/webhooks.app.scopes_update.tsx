import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { prisma } from "../db.server";
import { recordScopes } from "../shops.server";
import { handleWebhook } from "../sync/handle-webhook.server";

const ScopesUpdate = z.object({ current: z.array(z.string()) });

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, async (receipt) => {
    const { current } = ScopesUpdate.parse(receipt.payload);
    await recordScopes(prisma, { shop: receipt.shop, scopes: current.join(",") });
  });
