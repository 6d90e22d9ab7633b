import { execute, getVariableValues, GraphQLError, isNonNullType, type DocumentNode, type GraphQLFieldResolver, type GraphQLTypeResolver, type OperationDefinitionNode } from "graphql";
import { adminSchema } from "../schema";
import type { ShopifyGraphQLError } from "./errors";

// graphql-js over plain objects. A field that the schema has but the emulator does not back
// resolves to null, or fails loudly when the schema says it cannot be null: no invented data.

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export const fieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, ctx, info) => {
  if (!isRecord(source) || !(info.fieldName in source)) {
    if (isNonNullType(info.returnType)) throw new GraphQLError(`not emulated: ${info.parentType.name}.${info.fieldName}`);
    return null;
  }
  const value = source[info.fieldName];
  if (typeof value === "function") {
    const result: unknown = Reflect.apply(value, source, [args, ctx, info]);
    return result;
  }
  return value;
};

export const typeResolver: GraphQLTypeResolver<unknown, unknown> = (value) =>
  isRecord(value) && typeof value.__typename === "string" ? value.__typename : undefined;

export function coerceVariables(operation: OperationDefinitionNode, inputs: Record<string, unknown>): { variables: Record<string, unknown> } | { errors: ShopifyGraphQLError[] } {
  const result = getVariableValues(adminSchema(), operation.variableDefinitions ?? [], inputs);
  if (result.errors) {
    return {
      errors: result.errors.map((e) => {
        const m = /^Variable "\$(\w+)" (?:of required type "(.+?)" was not provided|got invalid value (.*?); (.*))\.?$/s.exec(e.message);
        const name = m?.[1] ?? "?";
        const def = operation.variableDefinitions?.find((d) => d.variable.name.value === name);
        const typeName = def ? printType(def.type) : "?";
        return {
          message: `Variable $${name} of type ${typeName} was provided invalid value`,
          locations: e.locations?.map((l) => ({ line: l.line, column: l.column })) ?? [],
          extensions: { value: inputs[name] ?? null, problems: [{ path: [], explanation: m?.[4] ?? "Expected value to not be null" }] },
        };
      }),
    };
  }
  return { variables: result.coerced };
}

function printType(node: NonNullable<OperationDefinitionNode["variableDefinitions"]>[number]["type"]): string {
  if (node.kind === "NonNullType") return `${printType(node.type)}!`;
  if (node.kind === "ListType") return `[${printType(node.type)}]`;
  return node.name.value;
}

export function toShopifyExecutionError(e: GraphQLError): ShopifyGraphQLError {
  const out: ShopifyGraphQLError = { message: e.message };
  if (e.locations) out.locations = e.locations.map((l) => ({ line: l.line, column: l.column }));
  if (e.path) out.path = [...e.path];
  if (e.extensions && Object.keys(e.extensions).length > 0) out.extensions = { ...e.extensions };
  return out;
}

export async function run(document: DocumentNode, operationName: string | undefined, rootValue: unknown, variables: Record<string, unknown>, context: unknown): Promise<{ data: unknown; errors: ShopifyGraphQLError[] }> {
  const result = await execute({
    schema: adminSchema(),
    document,
    rootValue,
    contextValue: context,
    variableValues: variables,
    operationName,
    fieldResolver,
    typeResolver,
  });
  return { data: result.data ?? null, errors: (result.errors ?? []).map(toShopifyExecutionError) };
}
