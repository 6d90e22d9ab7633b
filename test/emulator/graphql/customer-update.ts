import { z } from "zod";
import type { GeneratedStore } from "../generator/store";
import type { CustomerPatch, CustomerRecord } from "../generator/types";
import { normalizePhone } from "./customer-create";
import { customerView, legacyId } from "./views";

// customerUpdate of a customer's contact and name (what the app changes): a malformed email or
// phone, or one another customer has, is refused with Shopify's messages and nothing changes.

const input = z.object({
  input: z.object({
    id: z.string(),
    email: z.string().nullish(),
    phone: z.string().nullish(),
    firstName: z.string().nullish(),
    lastName: z.string().nullish(),
  }),
});

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
type UserError = { field: string[]; message: string };

export function customerUpdateMutation(store: GeneratedStore, now: () => Date, updated: (record: CustomerRecord) => void) {
  return (args: unknown) => {
    const given = input.parse(args).input;
    const i = /^gid:\/\/shopify\/Customer\/\d+$/.test(given.id) ? store.customerIndexOf(legacyId(given.id)) : undefined;
    if (i === undefined) return { customer: null, userErrors: [{ field: ["id"], message: "Customer does not exist" }] };
    const errors: UserError[] = [];
    const patch: CustomerPatch = {};
    const taken = (kind: "email" | "phone", value: string) => store.customersByContact(kind, value).some((k) => k !== i);
    if (given.email !== undefined) {
      const email = given.email?.trim().toLowerCase() || null;
      if (email !== null && !EMAIL.test(email)) errors.push({ field: ["email"], message: "Email is invalid" });
      else if (email !== null && taken("email", email)) errors.push({ field: ["email"], message: "Email has already been taken" });
      else patch.email = email;
    }
    if (given.phone !== undefined) {
      const raw = given.phone?.trim() || null;
      const phone = raw === null ? null : normalizePhone(raw);
      if (raw !== null && phone === null) errors.push({ field: ["phone"], message: "Phone is invalid" });
      else if (phone !== null && taken("phone", phone)) errors.push({ field: ["phone"], message: "Phone has already been taken" });
      else patch.phone = phone;
    }
    if (given.firstName) patch.firstName = given.firstName.trim();
    if (given.lastName) patch.lastName = given.lastName.trim();
    if (errors.length > 0) return { customer: null, userErrors: errors };
    const record = store.updateCustomer(i, patch, now());
    updated(record);
    return { customer: customerView(store, record), userErrors: [] };
  };
}
