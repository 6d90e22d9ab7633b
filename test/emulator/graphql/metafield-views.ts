import { z } from "zod";
import type { GeneratedStore } from "../generator/store";
import { canonicalNamespace, compareDigest, type MetafieldRecord, type MetafieldRecords } from "../generator/metafields";
import { paginate, readPageArgs } from "./connection";
import { typedValue } from "./metafield-rules";
import type { ViewContext } from "./views";

// Metafield, and the metafield/metafields fields of every HasMetafields owner the emulator backs
// (Customer, Shop, AppInstallation).

const APP_INSTALLATION_BASE = 860_000_000;

/** The app's installation on this shop (currentAppInstallation.id). */
export function appInstallationId(store: GeneratedStore): string {
  return `gid://shopify/AppInstallation/${APP_INSTALLATION_BASE + store.legacyShopId}`;
}

export function metafieldView(record: MetafieldRecord, owner: () => unknown): Record<string, unknown> {
  return {
    ...record,
    __typename: "Metafield",
    compareDigest: compareDigest(record),
    jsonValue: typedValue(record.type, record.value),
    sizeInBytes: Buffer.byteLength(record.value, "utf8"),
    definition: null,
    reference: null,
    references: null,
    translations: [],
    owner,
  };
}

const oneArgs = z.object({ namespace: z.string().nullish(), key: z.string() });
const listArgs = z.object({ namespace: z.string().nullish(), keys: z.array(z.string()).nullish(), reverse: z.boolean().nullish() });

/** `metafield(namespace, key)` and `metafields(first, namespace, keys)` of the owner `ownerId`. */
export function metafieldFields(records: MetafieldRecords, ownerId: string, owner: () => unknown): Record<string, unknown> {
  return {
    metafield: (args: unknown) => {
      const { namespace, key } = oneArgs.parse(args);
      const record = records.get(ownerId, namespace, key);
      return record ? metafieldView(record, owner) : null;
    },
    metafields: (args: unknown, ctx: ViewContext) => {
      const { namespace, keys, reverse } = listArgs.parse(args);
      const wanted = keys?.map((k) => {
        const dot = k.lastIndexOf(".");
        return `${canonicalNamespace(k.slice(0, dot))}.${k.slice(dot + 1)}`;
      });
      const list = records
        .list(ownerId)
        .filter((m) => (namespace === null || namespace === undefined ? true : m.namespace === canonicalNamespace(namespace)))
        .filter((m) => !wanted || wanted.includes(`${m.namespace}.${m.key}`));
      if (reverse) list.reverse();
      return paginate(
        list.map((_, i) => i),
        readPageArgs(args),
        (i) => Number(list[i]?.legacyResourceId ?? 0),
        (i) => {
          const m = list[i];
          return m ? metafieldView(m, owner) : null;
        },
        ctx.bulk !== undefined,
      );
    },
  };
}

/** currentAppInstallation: its id and app-data metafields (accessScopes come from the asking token). */
export function appInstallationView(store: GeneratedStore): Record<string, unknown> {
  const id = appInstallationId(store);
  const view: Record<string, unknown> = { __typename: "AppInstallation", id };
  return Object.assign(view, metafieldFields(store.metafields, id, () => view));
}
