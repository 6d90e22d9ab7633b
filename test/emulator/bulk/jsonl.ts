// Shopify's bulk JSONL: one object per line; every node of a nested connection becomes its own
// line with `__parentId`, written after its parent; the connection field leaves the parent.

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function connectionItems(value: unknown): unknown[] | undefined {
  if (!isRecord(value)) return undefined;
  if (Array.isArray(value.edges)) return value.edges.map((e) => (isRecord(e) ? e.node : null));
  if (Array.isArray(value.nodes)) return value.nodes;
  return undefined;
}

/** Lines for one root node (and its nested connection children). */
export function flattenNode(node: unknown, parentId: string | undefined, out: string[]): void {
  if (!isRecord(node)) return;
  const own: Record<string, unknown> = {};
  const children: unknown[][] = [];
  for (const [key, value] of Object.entries(node)) {
    const items = connectionItems(value);
    if (items) children.push(items);
    else own[key] = value;
  }
  if (parentId !== undefined) own.__parentId = parentId;
  out.push(JSON.stringify(own));
  const id = typeof node.id === "string" ? node.id : undefined;
  for (const items of children) for (const child of items) flattenNode(child, id, out);
}

export function rootItems(data: unknown): unknown[] {
  if (!isRecord(data)) return [];
  const first = Object.values(data)[0];
  return connectionItems(first) ?? [];
}
