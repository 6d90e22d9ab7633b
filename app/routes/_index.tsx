import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { APP_NAME } from "../ui/page-title";

export const meta: MetaFunction = () => [{ title: APP_NAME }];

// Shopify admin opens the app at its URL with `shop` and `host`: hand over to the embedded app.
// Anyone else lands on a short explanation; the app is installed from Shopify, not here.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return null;
};

export default function Index() {
  return (
    <main
      style={{ fontFamily: "system-ui, sans-serif", maxWidth: 560, margin: "4rem auto", lineHeight: 1.5 }}
    >
      <h1>Holiday Segments</h1>
      <p>
        RFM segments and peak-season campaigns for Shopify stores. Open the app from your Shopify admin (Apps
        → Holiday Segments) to use it.
      </p>
    </main>
  );
}
