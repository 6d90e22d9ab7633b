import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Button, Card, FormLayout, Page, Text, TextField } from "@shopify/polaris";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { login } from "../shopify.server";
import { getEnv } from "../env.server";
import { loginErrorMessage } from "../auth/login-errors";

// The library's login path: where an app page opened outside Shopify admin is sent. With a shop
// domain it hands over to Shopify admin (which installs or opens the app); without, it asks for one.

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const meta = () => [{ title: "Log in · Holiday Segments" }];

export const loader = async ({ request }: LoaderFunctionArgs) => ({
  errors: loginErrorMessage(await login(request)),
  apiKey: getEnv().SHOPIFY_API_KEY,
});

export const action = async ({ request }: ActionFunctionArgs) => ({
  errors: loginErrorMessage(await login(request)),
});

export default function Login() {
  const loaded = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>();
  const [shop, setShop] = useState("");
  const errors = acted?.errors ?? loaded.errors;
  return (
    <AppProvider isEmbeddedApp={false} apiKey={loaded.apiKey}>
      <Page narrowWidth>
        <Card>
          <Form method="post">
            <FormLayout>
              <Text variant="headingMd" as="h1">
                Log in to Holiday Segments
              </Text>
              <TextField
                type="text"
                name="shop"
                label="Shop domain"
                helpText="The app opens inside your Shopify admin."
                value={shop}
                onChange={setShop}
                autoComplete="on"
                error={errors.shop}
              />
              <Button submit>Log in</Button>
            </FormLayout>
          </Form>
        </Card>
      </Page>
    </AppProvider>
  );
}
