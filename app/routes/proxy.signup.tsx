import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleSignup } from "../storefront/proxy.server";

// The storefront signup form's POST, through Shopify's app proxy (/apps/holiday/signup).
export const action = ({ request }: ActionFunctionArgs) => handleSignup(request);
export const loader = ({ request }: LoaderFunctionArgs) => handleSignup(request);
