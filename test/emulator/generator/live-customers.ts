import { orderDerivedFields, type CustomerAggregates } from "./customers";
import type { CustomerRecord, EmailConsent, SmsConsent } from "./types";

// Customers created live (customerCreate): appended after the generated ones, with the next index
// and legacy id, and no orders until a live order names them.

export interface NewCustomer {
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  locale: string | null;
  note: string | null;
  tags: readonly string[];
  emailMarketingConsent: EmailConsent | null;
  smsMarketingConsent: Omit<SmsConsent, "consentCollectedFrom"> | null;
}

/** What a customer created with no order has: nothing spent, nothing counted. */
export function noOrders(createdMs: number, untilMs: number): CustomerAggregates {
  return { createdMs, updatedMs: createdMs, orders: 0, spentMinor: 0, lastOrderMs: null, untilMs };
}

export function newCustomerRecord(index: number, legacyId: number, input: NewCustomer, at: Date, currencyCode: string, untilMs: number): CustomerRecord {
  const firstName = input.firstName ?? "";
  const lastName = input.lastName ?? "";
  const name = `${firstName} ${lastName}`.trim();
  const derived = orderDerivedFields(noOrders(at.getTime(), untilMs), currencyCode);
  return {
    id: `gid://shopify/Customer/${legacyId}`,
    legacyResourceId: String(legacyId),
    createdAt: at.toISOString(),
    updatedAt: at.toISOString(),
    firstName,
    lastName,
    displayName: name || input.email || input.phone || "",
    email: input.email,
    phone: input.phone,
    locale: input.locale ?? "en",
    note: input.note,
    state: "DISABLED",
    // Shopify marks an address given through the Admin API as verified
    verifiedEmail: input.email !== null,
    tags: [...input.tags].sort(),
    emailMarketingConsent:
      input.email === null
        ? null
        : (input.emailMarketingConsent ?? { marketingState: "NOT_SUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN", consentUpdatedAt: null }),
    smsMarketingConsent:
      input.phone === null
        ? null
        : { ...(input.smsMarketingConsent ?? { marketingState: "NOT_SUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN", consentUpdatedAt: null }), consentCollectedFrom: "OTHER" },
    defaultAddress: null,
    amountSpent: derived.amountSpent,
    numberOfOrders: derived.numberOfOrders,
    statistics: derived.statistics,
    _index: index,
    _amountSpentMinor: 0,
  };
}

/** The live customers, and a lazy index of every customer's email and phone (rebuilt when one changes). */
export class LiveCustomers {
  private readonly records: CustomerRecord[] = [];
  private contacts: { email: Map<string, number[]>; phone: Map<string, number[]> } | undefined;

  constructor(readonly generatedCount: number) {}

  get count(): number {
    return this.records.length;
  }

  get(i: number): CustomerRecord | undefined {
    return this.records[i - this.generatedCount];
  }

  add(record: CustomerRecord): void {
    if (record._index !== this.generatedCount + this.records.length) throw new Error("customers are created in index order");
    this.records.push(record);
    if (this.contacts) this.index(record, this.contacts);
  }

  /** customerUpdate changed someone's email or phone: the index is built again on the next lookup. */
  contactsChanged(): void {
    this.contacts = undefined;
  }

  private index(c: Pick<CustomerRecord, "email" | "phone" | "_index">, to: NonNullable<LiveCustomers["contacts"]>): void {
    const add = (map: Map<string, number[]>, key: string) => {
      const list = map.get(key);
      if (list) list.push(c._index);
      else map.set(key, [c._index]);
    };
    if (c.email !== null) add(to.email, c.email.toLowerCase());
    // generated numbers may repeat (random digits): every holder is kept
    if (c.phone !== null) add(to.phone, c.phone);
  }

  /** The customers with this contact, oldest first. `all(i)` reads customer i: the index is built once, on the first lookup. */
  lookup(kind: "email" | "phone", value: string, total: number, all: (i: number) => CustomerRecord): readonly number[] {
    if (!this.contacts) {
      const built = { email: new Map<string, number[]>(), phone: new Map<string, number[]>() };
      for (let i = 0; i < total; i++) this.index(all(i), built);
      this.contacts = built;
    }
    return (kind === "email" ? this.contacts.email.get(value.toLowerCase()) : this.contacts.phone.get(value)) ?? [];
  }
}
