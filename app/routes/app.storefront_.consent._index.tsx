import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";

// Where the admin link on Shopify's customer page lands (?id=<customer id or gid>): that
// customer's consent evidence, or the Storefront page when no customer is named.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { redirect } = await authenticate.admin(request);
  const id = /^(?:gid:\/\/shopify\/Customer\/)?(\d{1,20})$/.exec(new URL(request.url).searchParams.get("id") ?? "")?.[1];
  return redirect(id ? `/app/storefront/consent/${id}` : "/app/storefront");
};
