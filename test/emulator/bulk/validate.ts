import { getNamedType, isObjectType, isInterfaceType, type DocumentNode, type FieldNode, type GraphQLCompositeType, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode } from "graphql";
import { adminSchema, parseAndValidate } from "../schema";

export interface BulkUserError {
  field: string[];
  message: string;
  code: "INVALID" | "LIMIT_REACHED" | "OPERATION_IN_PROGRESS";
}

const MAX_CONNECTIONS = 5;
const MAX_DEPTH = 2;

function childFields(set: SelectionSetNode): FieldNode[] {
  return set.selections.flatMap((s) => (s.kind === "Field" ? [s] : s.kind === "InlineFragment" ? childFields(s.selectionSet) : []));
}

function fieldDef(type: GraphQLCompositeType, name: string) {
  return isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
}

interface Found {
  connections: number;
  maxDepth: number;
  missingId: string[];
}

function walk(schema: GraphQLSchema, set: SelectionSetNode, type: GraphQLCompositeType, depth: number, found: Found): void {
  for (const node of childFields(set)) {
    const def = fieldDef(type, node.name.value);
    if (!def || !node.selectionSet) continue;
    const named = getNamedType(def.type);
    if (!isObjectType(named) && !isInterfaceType(named)) continue;
    if (named.name.endsWith("Connection")) {
      found.connections++;
      found.maxDepth = Math.max(found.maxDepth, depth + 1);
      if (depth >= 1 && !childFields(set).some((f) => f.name.value === "id")) found.missingId.push(node.name.value);
      for (const inner of childFields(node.selectionSet)) {
        const innerDef = fieldDef(named, inner.name.value);
        if (!innerDef || !inner.selectionSet) continue;
        const innerType = getNamedType(innerDef.type);
        if (inner.name.value === "nodes" && (isObjectType(innerType) || isInterfaceType(innerType))) walk(schema, inner.selectionSet, innerType, depth + 1, found);
        if (inner.name.value === "edges" && isObjectType(innerType)) {
          const nodeField = childFields(inner.selectionSet).find((f) => f.name.value === "node");
          const nodeType = getNamedType(innerType.getFields().node?.type ?? innerType);
          if (nodeField?.selectionSet && (isObjectType(nodeType) || isInterfaceType(nodeType))) walk(schema, nodeField.selectionSet, nodeType, depth + 1, found);
        }
      }
    } else {
      walk(schema, node.selectionSet, named, depth, found);
    }
  }
}

/** Shopify's checks on a bulk query, answered as userErrors. */
export function validateBulkQuery(source: string): { document: DocumentNode; errors: [] } | { errors: BulkUserError[] } {
  const err = (message: string): { errors: BulkUserError[] } => ({ errors: [{ field: ["query"], message, code: "INVALID" }] });
  const parsed = parseAndValidate(source);
  if (!parsed.document) return err(`Invalid bulk query: ${parsed.errors.map((e) => e.message).join(", ")}`);
  const ops = parsed.document.definitions.filter((d) => d.kind === "OperationDefinition");
  const op = ops[0];
  if (ops.length !== 1 || !op || op.kind !== "OperationDefinition" || op.operation !== "query") return err("Bulk queries must contain exactly one query operation.");
  if (op.variableDefinitions && op.variableDefinitions.length > 0) return err("Bulk queries cannot use variables.");
  const schema = adminSchema();
  const root = schema.getQueryType();
  if (!root) return err("no query root");
  const tops = childFields(op.selectionSet);
  if (tops.length !== 1) return err("Bulk queries must contain exactly one top-level field.");
  const found: Found = { connections: 0, maxDepth: 0, missingId: [] };
  walk(schema, op.selectionSet, root, 0, found);
  if (found.connections === 0) return err("Bulk queries must contain at least one connection.");
  if (found.connections > MAX_CONNECTIONS) return err(`Bulk queries cannot contain more than ${MAX_CONNECTIONS} connections.`);
  if (found.maxDepth > MAX_DEPTH) return err(`Bulk queries cannot contain connections with a nesting depth greater than ${MAX_DEPTH}.`);
  if (found.missingId.length > 0) return err(`The parent 'node' field for a nested connection must select the 'id' field. Connection fields without 'id': ${found.missingId.join(", ")}.`);
  const top = tops[0];
  const topDef = top ? root.getFields()[top.name.value] : undefined;
  if (!topDef || !getNamedType(topDef.type).name.endsWith("Connection")) return err("The top-level field of a bulk query must be a connection.");
  return { document: parsed.document, errors: [] };
}

/** Shopify's checks on the document of bulkOperationRunMutation: valid, and one mutation operation. */
export function validateBulkMutation(source: string): { document: DocumentNode; operation: OperationDefinitionNode } | { message: string } {
  const parsed = parseAndValidate(source);
  if (!parsed.document) return { message: `Invalid mutation: ${parsed.errors.map((e) => e.message).join(", ")}` };
  const ops = parsed.document.definitions.filter((d): d is OperationDefinitionNode => d.kind === "OperationDefinition");
  const operation = ops[0];
  if (ops.length !== 1 || !operation) return { message: "Bulk mutations must contain exactly one operation." };
  if (operation.operation !== "mutation") return { message: `Bulk mutations must be mutations, not ${operation.operation} operations.` };
  return { document: parsed.document, operation };
}
