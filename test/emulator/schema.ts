import { gunzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildClientSchema, parse, validate, GraphQLError, type DocumentNode, type GraphQLSchema, type IntrospectionQuery } from "graphql";
import { z } from "zod";
import { toShopifyError, type ShopifyGraphQLError } from "./graphql/errors";

export const SUPPORTED_API_VERSIONS = ["2026-10"] as const;
const SCHEMA_FILE = fileURLToPath(new URL("./schema/admin_2026-10.json.gz", import.meta.url));

let cached: GraphQLSchema | undefined;

function isIntrospection(value: unknown): value is IntrospectionQuery {
  return z.object({ __schema: z.object({ types: z.array(z.unknown()) }) }).safeParse(value).success;
}

/** Shopify's published Admin API 2026-10 schema, loaded once per process. */
export function adminSchema(): GraphQLSchema {
  if (cached) return cached;
  const json: unknown = JSON.parse(gunzipSync(readFileSync(SCHEMA_FILE)).toString("utf8"));
  const data = z.object({ data: z.unknown() }).safeParse(json);
  const introspection = data.success ? data.data.data : json;
  if (!isIntrospection(introspection)) throw new Error(`${SCHEMA_FILE} is not introspection JSON`);
  cached = buildClientSchema(introspection);
  return cached;
}

export type ParseResult = { document: DocumentNode; errors: [] } | { document?: undefined; errors: ShopifyGraphQLError[] };

/** Parses and validates like Shopify: errors come back in Shopify's shape. */
export function parseAndValidate(source: string): ParseResult {
  let document: DocumentNode;
  try {
    document = parse(source);
  } catch (error) {
    if (error instanceof GraphQLError) return { errors: [toShopifyError(error)] };
    throw error;
  }
  const errors = validate(adminSchema(), document);
  if (errors.length > 0) return { errors: errors.map((e) => toShopifyError(e, document)) };
  return { document, errors: [] };
}

/** For tests (the app's too): [] when the document is valid against the Admin schema. */
export function validateAdminDocument(source: string): ShopifyGraphQLError[] {
  return parseAndValidate(source).errors;
}
