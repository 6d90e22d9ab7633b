import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form } from "@remix-run/react";
import { APP_NAME } from "../ui/page-title";

export const meta: MetaFunction = () => [{ title: APP_NAME }];

// Shopify admin opens the app at its URL with `shop` and `host`: hand over to the embedded app.
// Anyone else lands on a short explanation and the login form (the shop domain hands over to admin).
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
        → Holiday Segments) to use it, or enter your shop domain.
      </p>
      <Form method="post" action="/auth/login">
        <label>
          Shop domain <input type="text" name="shop" placeholder="your-store.myshopify.com" />
        </label>{" "}
        <button type="submit">Log in</button>
      </Form>
    </main>
  );
}
