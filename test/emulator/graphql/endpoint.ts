import { z } from "zod";
import { adminSchema, parseAndValidate } from "../schema";
import { coerceVariables, run } from "./execute";
import { MAX_QUERY_COST, operationOf, queryCost } from "./cost";
import type { LeakyBucket } from "./throttle";

export interface EndpointDeps {
  bucket: LeakyBucket;
  rootValue(operation: "query" | "mutation"): unknown;
  context: unknown;
}

const requestBody = z.object({
  query: z.string(),
  variables: z.record(z.unknown()).nullish(),
  operationName: z.string().nullish(),
});

/** One Admin GraphQL request; HTTP 200 for every GraphQL-level error, like Shopify. */
export async function graphqlRequest(input: unknown, deps: EndpointDeps): Promise<{ status: number; json: unknown }> {
  const parsed = requestBody.safeParse(input);
  if (!parsed.success) return { status: 400, json: { errors: { query: "Required parameter missing or invalid" } } };
  const { query, operationName } = parsed.data;
  const rawVariables = parsed.data.variables ?? {};
  const checked = parseAndValidate(query);
  if (!checked.document) return { status: 200, json: { errors: checked.errors } };
  const document = checked.document;
  const operation = operationOf(document, operationName);
  if (!operation) return { status: 200, json: { errors: [{ message: operationName ? `No operation named "${operationName}"` : "An operation name is required" }] } };
  if (operation.operation === "subscription") return { status: 200, json: { errors: [{ message: "Subscriptions are not supported by the Admin API over HTTP" }] } };
  const coerced = coerceVariables(operation, rawVariables);
  if ("errors" in coerced) return { status: 200, json: { errors: coerced.errors } };

  const requested = queryCost(adminSchema(), document, operation, coerced.variables);
  if (requested > MAX_QUERY_COST) {
    return {
      status: 200,
      json: {
        errors: [{
          message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n`,
          extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: MAX_QUERY_COST, documentation: "https://shopify.dev/api/usage/rate-limits" },
        }],
      },
    };
  }
  if (!deps.bucket.take(requested)) {
    return {
      status: 200,
      json: {
        errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
        extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: deps.bucket.status() } },
      },
    };
  }
  const { data, errors } = await run(document, operation.name?.value ?? operationName ?? undefined, deps.rootValue(operation.operation), rawVariables, deps.context);
  const actual = operation.operation === "mutation" ? requested : Math.min(requested, queryCost(adminSchema(), document, operation, coerced.variables, data ?? {}));
  deps.bucket.refund(requested - actual);
  const json: Record<string, unknown> = {};
  if (errors.length > 0) json.errors = errors;
  json.data = data;
  json.extensions = { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: deps.bucket.status() } };
  return { status: 200, json };
}
