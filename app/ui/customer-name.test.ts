import { describe, expect, it } from "vitest";
import { adminCustomerUrl, customerLabel, customerName } from "./customer-name";

describe("customer names in lists", () => {
  it("names a customer by first and last name, either alone, else by email, else by id", () => {
    const c = (firstName: string | null, lastName: string | null, email: string | null = "ada@example.com") => ({ id: "42", firstName, lastName, email });
    expect(customerLabel(c("Ada", "Lovelace"))).toBe("Ada Lovelace");
    expect(customerLabel(c("Ada", null))).toBe("Ada");
    expect(customerLabel(c(null, "Lovelace"))).toBe("Lovelace");
    expect(customerLabel(c("  ", " Lovelace "))).toBe("Lovelace");
    expect(customerLabel(c(null, null))).toBe("ada@example.com");
    expect(customerLabel(c("", "", null))).toBe("Customer 42");
    expect(customerName(c(null, null))).toBeNull();
  });

  it("opens the customer in Shopify admin through App Bridge's shopify:// protocol", () => {
    expect(adminCustomerUrl("7100000000001")).toBe("shopify://admin/customers/7100000000001");
  });
});
