import { readFileSync } from "node:fs";
import { parse } from "smol-toml";
import { z } from "zod";

const AppToml = z.object({
  webhooks: z.object({
    api_version: z.string(),
    subscriptions: z.array(
      z.object({
        topics: z.array(z.string()).optional(),
        compliance_topics: z.array(z.string()).optional(),
        uri: z.string(),
      }),
    ),
  }),
  access_scopes: z.object({ scopes: z.string() }),
});

export interface WebhookSubscription {
  topics: string[];
  uri: string;
}

/** The app's declared webhooks and scopes, read from shopify.app.toml as Shopify reads them. */
export function readAppConfig(path = "shopify.app.toml"): {
  apiVersion: string;
  scopes: string;
  webhooks: WebhookSubscription[];
} {
  const parsed = AppToml.parse(parse(readFileSync(path, "utf8")));
  return {
    apiVersion: parsed.webhooks.api_version,
    scopes: parsed.access_scopes.scopes,
    webhooks: parsed.webhooks.subscriptions.map((s) => ({
      topics: [...(s.topics ?? []), ...(s.compliance_topics ?? [])],
      uri: s.uri,
    })),
  };
}
