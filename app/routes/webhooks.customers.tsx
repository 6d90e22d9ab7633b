import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook, onlyPost } from "../sync/handle-webhook.server";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, ["customers/create", "customers/update", "customers/delete"]);
export const loader = onlyPost;
