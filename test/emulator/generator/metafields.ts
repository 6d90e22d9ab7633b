import { createHash } from "node:crypto";

// A shop's metafields, keyed by owner gid, namespace and key. The app-reserved namespace is kept
// under the literal "$app" (Shopify resolves it to app--<app id>; lookups accept both spellings).

export const APP_NAMESPACE = "$app";
/** The emulated app's id, in the app--<id> spelling of its reserved namespace. */
export const APP_ID = 7_734_281;
const METAFIELD_ID_BASE = 31_000_000_000;

export type MetafieldOwnerType = "API_PERMISSION" | "CUSTOMER" | "SHOP" | "PRODUCT" | "ORDER";

export interface MetafieldRecord {
  id: string;
  legacyResourceId: string;
  ownerId: string;
  ownerType: MetafieldOwnerType;
  namespace: string;
  key: string;
  type: string;
  value: string;
  createdAt: string;
  updatedAt: string;
}

/** "$app", "app--<APP_ID>" and "$app:x" / "app--<APP_ID>--x" name the same namespaces. */
export function canonicalNamespace(namespace: string | null | undefined): string {
  if (namespace === null || namespace === undefined) return APP_NAMESPACE;
  const prefix = `app--${APP_ID}`;
  if (namespace === prefix) return APP_NAMESPACE;
  if (namespace.startsWith(`${prefix}--`)) return `${APP_NAMESPACE}:${namespace.slice(prefix.length + 2)}`;
  return namespace;
}

/** Shopify's compareDigest: opaque to clients, changes with the value. */
export function compareDigest(record: Pick<MetafieldRecord, "value" | "type">): string {
  return createHash("sha256").update(`${record.type}\n${record.value}`).digest("base64url");
}

export class MetafieldRecords {
  private readonly byOwner = new Map<string, Map<string, MetafieldRecord>>();
  private next = 0;

  private static slot(namespace: string, key: string): string {
    return `${namespace}\u0000${key}`;
  }

  get(ownerId: string, namespace: string | null | undefined, key: string): MetafieldRecord | undefined {
    return this.byOwner.get(ownerId)?.get(MetafieldRecords.slot(canonicalNamespace(namespace), key));
  }

  /** The owner's metafields in the order they were first set. */
  list(ownerId: string): MetafieldRecord[] {
    return [...(this.byOwner.get(ownerId)?.values() ?? [])];
  }

  set(input: Omit<MetafieldRecord, "id" | "legacyResourceId" | "createdAt" | "updatedAt">, at: Date): MetafieldRecord {
    const namespace = canonicalNamespace(input.namespace);
    const owned = this.byOwner.get(input.ownerId) ?? new Map<string, MetafieldRecord>();
    this.byOwner.set(input.ownerId, owned);
    const slot = MetafieldRecords.slot(namespace, input.key);
    const before = owned.get(slot);
    const when = at.toISOString();
    let record: MetafieldRecord;
    if (before) record = { ...before, type: input.type, value: input.value, updatedAt: when };
    else {
      this.next += 1;
      const legacy = METAFIELD_ID_BASE + this.next;
      record = { ...input, namespace, id: `gid://shopify/Metafield/${legacy}`, legacyResourceId: String(legacy), createdAt: when, updatedAt: when };
    }
    owned.set(slot, record);
    return record;
  }

  delete(ownerId: string, namespace: string, key: string): boolean {
    return this.byOwner.get(ownerId)?.delete(MetafieldRecords.slot(canonicalNamespace(namespace), key)) ?? false;
  }
}
