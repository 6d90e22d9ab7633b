import { Link } from "@shopify/polaris";
import { adminCustomerUrl, customerLabel, type NamedCustomer } from "./customer-name";

/**
 * A customer in a list: their name (else email, else id), opening them in Shopify admin. Within a
 * sentence (`inText`) it keeps its underline: colour alone does not set a link apart from text.
 */
export function CustomerLink({ customer, inText = false }: { customer: NamedCustomer; inText?: boolean }) {
  const label = customerLabel(customer);
  return (
    <Link url={adminCustomerUrl(customer.id)} target="_top" removeUnderline={!inText} accessibilityLabel={`Open ${label} in Shopify admin`}>
      {label}
    </Link>
  );
}
