import { z } from "zod";
import type { GeneratedStore } from "../generator/store";
import { canonicalNamespace, compareDigest, type MetafieldOwnerType } from "../generator/metafields";
import { MAX_METAFIELDS_PER_SET, METAFIELD_TYPES, nameProblems, valueProblem, type MetafieldProblem } from "./metafield-rules";
import { appInstallationId, metafieldView } from "./metafield-views";
import { nodeById } from "./views";

// metafieldsSet (atomic: one bad input and nothing is written) and metafieldsDelete, for the owners
// the emulator keeps: the app's installation, customers, products, orders and the shop.

const setInput = z.object({
  metafields: z.array(
    z.object({
      ownerId: z.string(),
      namespace: z.string().nullish(),
      key: z.string(),
      type: z.string().nullish(),
      value: z.string(),
      // absent: no check; null: the metafield must not exist yet
      compareDigest: z.string().nullish(),
    }),
  ),
});
const deleteInput = z.object({ metafields: z.array(z.object({ ownerId: z.string(), namespace: z.string(), key: z.string() })) });

interface SetUserError {
  field: string[] | null;
  message: string;
  code: MetafieldProblem["code"];
  elementIndex: number | null;
}

const OWNER_TYPES: Readonly<Record<string, MetafieldOwnerType>> = {
  AppInstallation: "API_PERMISSION",
  Customer: "CUSTOMER",
  Shop: "SHOP",
  Product: "PRODUCT",
  Order: "ORDER",
};

/** The owner's type, or the problem with its id. */
function ownerOf(store: GeneratedStore, ownerId: string): MetafieldOwnerType | MetafieldProblem {
  const m = /^gid:\/\/shopify\/(\w+)\/\d+$/.exec(ownerId);
  const type = m?.[1] ? OWNER_TYPES[m[1]] : undefined;
  const missing: MetafieldProblem = { field: "ownerId", code: "INVALID", message: "Owner does not exist." };
  if (!m || !type) return missing;
  if (type === "API_PERMISSION") {
    if (ownerId !== appInstallationId(store))
      return { field: "ownerId", code: "APP_NOT_AUTHORIZED", message: "ApiPermission metafields can only be created or updated by the app owner." };
  }
  return nodeById(store, ownerId) ? type : missing;
}

export function metafieldMutations(store: GeneratedStore, now: () => Date): Record<string, unknown> {
  return {
    metafieldsSet: (args: unknown) => {
      const { metafields } = setInput.parse(args);
      if (metafields.length > MAX_METAFIELDS_PER_SET) {
        const message = `Exceeded the maximum metafields input limit of ${MAX_METAFIELDS_PER_SET}.`;
        return { metafields: [], userErrors: [{ field: ["metafields"], message, code: "LESS_THAN_OR_EQUAL_TO", elementIndex: null }] };
      }
      const userErrors: SetUserError[] = [];
      const checked = metafields.map((input, index) => {
        const problems: MetafieldProblem[] = [];
        const owner = ownerOf(store, input.ownerId);
        if (typeof owner !== "string") problems.push(owner);
        const namespace = canonicalNamespace(input.namespace);
        problems.push(...nameProblems(namespace, input.key));
        const type = input.type ?? null;
        if (type === null || type === "") problems.push({ field: "type", code: "BLANK", message: "Type can't be blank." });
        else if (!METAFIELD_TYPES.has(type)) problems.push({ field: "type", code: "INVALID_TYPE", message: `Type '${type}' is not a valid metafield type.` });
        else {
          const bad = valueProblem(type, input.value);
          if (bad) problems.push(bad);
        }
        if (input.compareDigest !== undefined) {
          const current = store.metafields.get(input.ownerId, namespace, input.key);
          const digest = current ? compareDigest(current) : null;
          if (digest !== input.compareDigest)
            problems.push({ field: "compareDigest", code: "STALE_OBJECT", message: "The resource has been updated since it was loaded. Try again with an updated `compareDigest` value." });
        }
        for (const p of problems) userErrors.push({ field: ["metafields", String(index), p.field], message: p.message, code: p.code, elementIndex: index });
        return { input, namespace, type: type ?? "", ownerType: typeof owner === "string" ? owner : "SHOP" };
      });
      if (userErrors.length > 0) return { metafields: [], userErrors };
      const at = now();
      const written = checked.map(({ input, namespace, type, ownerType }) => {
        const record = store.metafields.set({ ownerId: input.ownerId, ownerType, namespace, key: input.key, type, value: input.value }, at);
        return metafieldView(record, () => nodeById(store, record.ownerId));
      });
      return { metafields: written, userErrors: [] };
    },
    metafieldsDelete: (args: unknown) => {
      const { metafields } = deleteInput.parse(args);
      const deleted = metafields.map((m) =>
        store.metafields.delete(m.ownerId, m.namespace, m.key) ? { __typename: "MetafieldIdentifier", ...m } : null,
      );
      return { deletedMetafields: deleted, userErrors: [] };
    },
  };
}
