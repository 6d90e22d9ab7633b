import { GraphQLError, type DocumentNode } from "graphql";

// Access scopes, as Shopify checks them: a root field of the shop's data needs its read scope, else
// the field is null with an ACCESS_DENIED error worded like Shopify's ("Access denied for orders
// field. Required access: `read_orders` access scope."); a bulk query over such a field fails
// with errorCode ACCESS_DENIED. currentAppInstallation.accessScopes lists what the token has.
// A mutation of MUTATION_SCOPES needs its write scope in the same way.

const ROOT_FIELD_SCOPES: Readonly<Record<string, string>> = {
  customers: "read_customers",
  customer: "read_customers",
  orders: "read_orders",
  order: "read_orders",
  abandonedCheckouts: "read_orders",
  abandonedCheckoutsCount: "read_orders",
  products: "read_products",
  product: "read_products",
};

const MUTATION_SCOPES: Readonly<Record<string, string>> = {
  customerCreate: "write_customers",
  customerUpdate: "write_customers",
  marketingActivityUpsertExternal: "write_marketing_events",
  marketingEngagementCreate: "write_marketing_events",
};

export function accessDenied(field: string, scope: string): GraphQLError {
  return new GraphQLError(`Access denied for ${field} field. Required access: \`${scope}\` access scope.`, {
    extensions: {
      code: "ACCESS_DENIED",
      documentation: "https://shopify.dev/api/usage/access-scopes",
      requiredAccess: `\`${scope}\` access scope.`,
    },
  });
}

/** The query root as a token with `granted` scopes sees it. */
export function scopedQueryRoot(root: Record<string, unknown>, granted: readonly string[]): Record<string, unknown> {
  const installation = root.currentAppInstallation;
  const scoped: Record<string, unknown> = {
    ...root,
    currentAppInstallation: {
      ...(typeof installation === "object" && installation !== null ? installation : {}),
      accessScopes: granted.map((handle) => ({ handle, description: `Scope ${handle}` })),
    },
  };
  for (const [field, scope] of Object.entries(ROOT_FIELD_SCOPES)) {
    if (!granted.includes(scope) && field in root)
      scoped[field] = () => {
        throw accessDenied(field, scope);
      };
  }
  return scoped;
}

/** The mutation root as a token with `granted` scopes sees it. */
export function scopedMutationRoot(root: Record<string, unknown>, granted: readonly string[]): Record<string, unknown> {
  const scoped: Record<string, unknown> = { ...root };
  for (const [field, scope] of Object.entries(MUTATION_SCOPES)) {
    if (!granted.includes(scope) && field in root)
      scoped[field] = () => {
        throw accessDenied(field, scope);
      };
  }
  return scoped;
}

/** The scope a bulk query's root field needs that `granted` lacks, if any. */
export function missingBulkScope(document: DocumentNode, granted: readonly string[]): string | undefined {
  for (const definition of document.definitions) {
    if (definition.kind !== "OperationDefinition") continue;
    for (const selection of definition.selectionSet.selections) {
      if (selection.kind !== "Field") continue;
      const scope = ROOT_FIELD_SCOPES[selection.name.value];
      if (scope && !granted.includes(scope)) return scope;
    }
  }
  return undefined;
}
