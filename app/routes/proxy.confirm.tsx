import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleConfirm } from "../storefront/proxy.server";

// The double opt-in link of a storefront signup, through Shopify's app proxy (/apps/holiday/confirm).
export const loader = ({ request }: LoaderFunctionArgs) => handleConfirm(request);
