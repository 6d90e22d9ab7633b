import type { ActionFunctionArgs } from "@remix-run/node";
import { prisma } from "../db.server";
import { recordUninstall } from "../shops.server";
import { handleWebhook } from "../sync/handle-webhook.server";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, (receipt) => recordUninstall(prisma, receipt.shop));
