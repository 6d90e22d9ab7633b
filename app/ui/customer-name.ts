// How a customer is named to the merchant, and where they open in Shopify admin. Pure.

export interface NamedCustomer {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email?: string | null;
}

/** "Ada Lovelace", or one of the two; null when Shopify has no name for them. */
export function customerName(c: Pick<NamedCustomer, "firstName" | "lastName">): string | null {
  const name = [c.firstName, c.lastName]
    .map((part) => part?.trim() ?? "")
    .filter((part) => part.length > 0)
    .join(" ");
  return name.length > 0 ? name : null;
}

/** What a list shows for a customer: the name, else the email, else the id. */
export function customerLabel(c: NamedCustomer): string {
  return customerName(c) ?? (c.email?.trim() || `Customer ${c.id}`);
}

/**
 * Where a customer opens in Shopify admin, from inside the embedded app: App Bridge navigates the
 * admin (the top frame) to a `shopify://admin/…` link.
 */
export const adminCustomerUrl = (id: string) => `shopify://admin/customers/${id}`;
