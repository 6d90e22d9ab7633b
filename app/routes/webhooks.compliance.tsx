import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook } from "../sync/handle-webhook.server";

// customers/data_request, customers/redact and shop/redact: recorded durably on receipt.
export const action = ({ request }: ActionFunctionArgs) => handleWebhook(request);
