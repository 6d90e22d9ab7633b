import { Link } from "@shopify/polaris";
import { adminCustomerUrl, customerLabel, type NamedCustomer } from "./customer-name";

/** A customer in a list: their name (else email, else id), opening them in Shopify admin. */
export function CustomerLink({ customer }: { customer: NamedCustomer }) {
  const label = customerLabel(customer);
  return (
    <Link url={adminCustomerUrl(customer.id)} target="_top" removeUnderline accessibilityLabel={`Open ${label} in Shopify admin`}>
      {label}
    </Link>
  );
}
