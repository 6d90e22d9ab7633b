import { parseArgs } from "node:util";
import { z } from "zod";
import { ADMIN_API_VERSION } from "../../admin-api/version";

// Command-line arguments of `pull`. Pure: argv and the environment's token come in, options or a
// message go out.

export const PULL_USAGE = `Usage: npm run cli -- pull --shop SHOP.myshopify.com --token TOKEN --out DIR

Downloads a shop's customers and orders as the app's backfill reads them — the same bulk queries,
against the shop's Admin API (version ${ADMIN_API_VERSION}) — into the files the segments and plan
commands read:
  DIR/customers.jsonl   one customer per line
  DIR/orders.jsonl      one order per line, each followed by its line items' lines (__parentId)
  DIR/shop.json         {"ianaTimezone", "currencyCode", "countryCode"} for plan --shop

Required:
  --shop DOMAIN     the shop's myshopify.com domain, like example.myshopify.com
  --token TOKEN     the Admin API access token of a custom app made in the shop's admin (Settings →
                    Apps → Develop apps), with the scopes read_customers and read_orders, and
                    read_all_orders for orders older than 60 days. Or set SHOPIFY_ADMIN_TOKEN, which
                    keeps the token out of the shell's history.
  --out DIR         where the files go (made when missing; existing files are replaced)
Options:
  -h, --help        this text

Progress goes to standard error. Throttling is waited out (THROTTLED by the cost bucket's own
numbers; HTTP 429 by Retry-After), HTTP 5xx and dropped connections are retried with backoff.
Exit codes: 0 done; 1 Shopify could not complete an export (its reason is printed); 2 usage error
(a bad option, a domain that is not SHOP.myshopify.com, an --out that cannot be made); 3 Shopify
refused the token (HTTP 401/403); 4 the token lacks a scope (named); 5 no such shop.

Then, for example:
  npm run cli -- segments --customers DIR/customers.jsonl --orders DIR/orders.jsonl
  npm run cli -- plan --customers DIR/customers.jsonl --orders DIR/orders.jsonl --shop DIR/shop.json --playbook christmas
`;

export interface PullOptions {
  shop: string;
  token: string;
  out: string;
}

export type ParsedPullArgs = { kind: "help" } | { kind: "usage-error"; message: string } | { kind: "run"; options: PullOptions };

/** What Shopify accepts as a shop's permanent domain. */
export const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

const Strings = z.object({
  shop: z
    .string({ required_error: "--shop SHOP.myshopify.com is required" })
    .transform((shop) => shop.trim().toLowerCase().replace(/^https?:\/\//, "").replace(/\/+$/, ""))
    .refine((shop) => SHOP_DOMAIN.test(shop), { message: "--shop must be the shop's myshopify.com domain, like example.myshopify.com" }),
  token: z.string({ required_error: "--token TOKEN (or SHOPIFY_ADMIN_TOKEN) is required" }).trim().min(1, "--token is empty"),
  out: z.string({ required_error: "--out DIR is required" }).min(1, "--out needs a directory"),
});

export function parsePullArgs(argv: readonly string[], envToken: string | undefined): ParsedPullArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { shop: { type: "string" }, token: { type: "string" }, out: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { kind: "usage-error", message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help === true) return { kind: "help" };
  const parsed = Strings.safeParse({ ...values, token: values.token ?? envToken });
  if (!parsed.success) return { kind: "usage-error", message: parsed.error.issues.map((i) => i.message).join("; ") };
  return { kind: "run", options: parsed.data };
}
