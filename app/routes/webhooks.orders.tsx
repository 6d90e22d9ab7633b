import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook, onlyPost } from "../sync/handle-webhook.server";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, ["orders/create", "orders/updated", "orders/cancelled"]);
export const loader = onlyPost;
