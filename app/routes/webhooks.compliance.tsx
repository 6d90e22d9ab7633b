import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook, onlyPost } from "../sync/handle-webhook.server";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, ["customers/data_request", "customers/redact", "shop/redact"]);
export const loader = onlyPost;
