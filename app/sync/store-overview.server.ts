import { z } from "zod";

/** The slice of `admin.graphql` this module needs; the real admin context satisfies it. */
export interface AdminGraphql {
  graphql(query: string, options?: { variables?: Record<string, unknown> }): Promise<Response>;
}

export const STORE_OVERVIEW_QUERY = `#graphql
  query StoreOverview {
    shop {
      name
      currencyCode
      ianaTimezone
      myshopifyDomain
    }
    customersCount(limit: null) {
      count
      precision
    }
    ordersCount(limit: null) {
      count
      precision
    }
  }
`;

const CountSchema = z.object({ count: z.number().int().nonnegative(), precision: z.string() });

export const StoreOverview = z.object({
  shop: z.object({
    name: z.string(),
    currencyCode: z.string(),
    ianaTimezone: z.string(),
    myshopifyDomain: z.string(),
  }),
  customersCount: CountSchema,
  ordersCount: CountSchema,
});
export type StoreOverview = z.infer<typeof StoreOverview>;

/** What the dashboard shows before any sync: the shop and how much data it holds in Shopify. */
export async function loadStoreOverview(admin: AdminGraphql): Promise<StoreOverview> {
  const response = await admin.graphql(STORE_OVERVIEW_QUERY);
  const body: unknown = await response.json();
  const parsed = z.object({ data: StoreOverview }).safeParse(body);
  if (!parsed.success) {
    throw new Error(`StoreOverview: unexpected response shape (${parsed.error.issues[0]?.path.join(".")})`);
  }
  return parsed.data.data;
}
