import {
  getArgumentValues, getNamedType, isCompositeType, isLeafType, isObjectType, isInterfaceType,
  type DocumentNode, type GraphQLField, type FieldNode, type FragmentDefinitionNode, type GraphQLCompositeType, type GraphQLSchema,
  type OperationDefinitionNode, type SelectionSetNode,
} from "graphql";

// Shopify's documented cost model: scalars and enums 0, objects 1, connections
// 2 + (first|last) × cost of one node, mutations 10. Actual cost uses what was returned.

export const MUTATION_COST = 10;
export const MAX_QUERY_COST = 1000;

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function fields(w: Walk, set: SelectionSetNode, out: FieldNode[] = []): FieldNode[] {
  for (const sel of set.selections) {
    if (sel.kind === "Field") out.push(sel);
    else if (sel.kind === "InlineFragment") fields(w, sel.selectionSet, out);
    else {
      const fragment = w.fragments.get(sel.name.value);
      if (fragment) fields(w, fragment.selectionSet, out);
    }
  }
  return out;
}

function argNumber(w: Walk, node: FieldNode, def: GraphQLField<unknown, unknown> | undefined, name: string): number | undefined {
  if (!def) return undefined;
  const value = getArgumentValues(def, node, w.variables)[name];
  if (typeof value === "number") return value;
  if (Array.isArray(value)) return value.length;
  return undefined;
}

function fieldType(parent: GraphQLCompositeType, name: string) {
  if (isObjectType(parent) || isInterfaceType(parent)) return parent.getFields()[name];
  return undefined;
}

/** Cost of a selection on `parent`; with `data` the actual cost of that returned value. */
function selectionCost(w: Walk, set: SelectionSetNode, parent: GraphQLCompositeType, data: unknown, actual: boolean): number {
  let total = 0;
  for (const node of fields(w, set)) {
    const def = fieldType(parent, node.name.value);
    if (!def || !node.selectionSet) continue;
    const named = getNamedType(def.type);
    if (isLeafType(named) || !isCompositeType(named)) continue;
    const value = actual && isRecord(data) ? data[node.alias?.value ?? node.name.value] : undefined;
    if (actual && (value === null || value === undefined)) continue;
    if (named.name.endsWith("Connection")) {
      total += 2 + connectionCost(w, node.selectionSet, named, node, def, value, actual);
    } else if (Array.isArray(value)) {
      const set = node.selectionSet;
      total += value.reduce((s: number, item: unknown) => s + (item === null ? 0 : 1 + selectionCost(w, set, named, item, true)), 0);
    } else {
      const times = node.name.value === "nodes" && !actual ? (argNumber(w, node, def, "ids") ?? 1) : 1;
      total += times * (1 + selectionCost(w, node.selectionSet, named, value, actual));
    }
  }
  return total;
}

function connectionCost(w: Walk, set: SelectionSetNode, conn: GraphQLCompositeType, node: FieldNode, def: GraphQLField<unknown, unknown>, value: unknown, actual: boolean): number {
  const edgeType = fieldType(conn, "edges");
  const nodeType = edgeType ? getNamedType(edgeType.type) : undefined;
  const itemType = nodeType && isCompositeType(nodeType) ? fieldType(nodeType, "node") : fieldType(conn, "nodes");
  const item = itemType ? getNamedType(itemType.type) : undefined;
  let total = 0;
  for (const sel of fields(w, set)) {
    if (!sel.selectionSet || !item || !isCompositeType(item)) continue;
    const name = sel.name.value;
    const raw = actual && isRecord(value) ? value[sel.alias?.value ?? name] : undefined;
    const items: unknown[] = Array.isArray(raw) ? raw : [];
    const selSet = sel.selectionSet;
    if (name === "nodes") {
      const per = (v: unknown) => 1 + selectionCost(w, selSet, item, v, actual);
      total += actual ? items.reduce((s: number, v) => s + per(v), 0) : (argNumber(w, node, def, "first") ?? argNumber(w, node, def, "last") ?? 0) * per(undefined);
    } else if (name === "edges") {
      const inner = fields(w, sel.selectionSet).find((f) => f.name.value === "node");
      if (!inner?.selectionSet) continue;
      const innerSet = inner.selectionSet;
      const per = (edge: unknown) => 1 + selectionCost(w, innerSet, item, isRecord(edge) ? edge[inner.alias?.value ?? "node"] : undefined, actual);
      total += actual ? items.reduce((s: number, v) => s + per(v), 0) : (argNumber(w, node, def, "first") ?? argNumber(w, node, def, "last") ?? 0) * per(undefined);
    }
  }
  return total;
}

export function operationOf(document: DocumentNode, operationName?: string | null): OperationDefinitionNode | undefined {
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === "OperationDefinition");
  return operationName ? ops.find((o) => o.name?.value === operationName) : ops.length === 1 ? ops[0] : undefined;
}

export function queryCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>, data?: unknown): number {
  if (operation.operation === "mutation") return MUTATION_COST * operation.selectionSet.selections.length;
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === "FragmentDefinition").map((f) => [f.name.value, f]),
  );
  const root = schema.getQueryType();
  if (!root) return 0;
  return selectionCost({ schema, fragments, variables }, operation.selectionSet, root, data, data !== undefined);
}
