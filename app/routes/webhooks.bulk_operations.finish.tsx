import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook } from "../sync/handle-webhook.server";

export const action = ({ request }: ActionFunctionArgs) => handleWebhook(request, ["bulk_operations/finish"]);
