import { parseJson, type LineResult } from "./parse-lines";

// A bulk query with a nested connection (orders → line items, products → variants) writes each child
// on its own line with `__parentId`, after its parent. Read as a stream, a parent's row stays open
// while its children follow and is handed on when the next parent starts (or the file ends), so
// memory holds one family, never the file. Shopify does not promise the children come right after
// their parent: one that finds its parent already handed on is kept aside as a stray, for the caller
// to settle once the file is read (in practice there are none). Pure.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** A parent read whose row comes out later, once its children have followed. */
export type Held = { kind: "held" };

export type ChildResult<C> =
  { kind: "child"; child: C } | { kind: "ignore" } | { kind: "error"; reason: string };

export interface FamilySpec<R, C> {
  /** a parent line, already parsed (never one with `__parentId`) */
  parent(value: Obj, line: number): LineResult<R>;
  child(value: Obj): ChildResult<C>;
  /**
   * A child line read without JSON.parse when it has the exact shape Shopify writes (most lines of
   * an orders file are line items); undefined sends it through JSON.parse and `child`.
   */
  quickChild?(text: string): { parentId: string; result: ChildResult<C> } | undefined;
  /** likewise a parent line of the exact shape: its gid and row, read without JSON.parse */
  quickParent?(text: string, line: number): { gid: string; result: LineResult<R> } | undefined;
  /** the parent's row with its children folded in, once they have all been read (never empty) */
  adopt(row: R, children: C[]): R;
}

export interface FamilyReader<R, C> {
  /** for streamJsonl: a parent's row comes out when the line after its family is read */
  parse(text: string, line: number): LineResult<R> | Held;
  /** the last family's row, once the file has ended */
  end(): R[];
  /** children whose parent had been handed on already, by the parent's gid */
  strays(): ReadonlyMap<string, C[]>;
}

export function familyReader<R, C>(spec: FamilySpec<R, C>): FamilyReader<R, C> {
  let open: { gid: string; row: R; children: C[] } | null = null;
  const strays = new Map<string, C[]>();
  const close = (family: { row: R; children: C[] }): R =>
    family.children.length > 0 ? spec.adopt(family.row, family.children) : family.row;
  const take = (parentId: string, result: ChildResult<C>, line: number): LineResult<R> => {
    if (result.kind === "error") return { kind: "error", line, reason: result.reason };
    if (result.kind === "ignore") return { kind: "child" };
    if (open && open.gid === parentId) open.children.push(result.child);
    else {
      const list = strays.get(parentId);
      if (list) list.push(result.child);
      else strays.set(parentId, [result.child]);
    }
    return { kind: "child" };
  };
  // A parent that does not parse leaves the open family open; its own children become strays of
  // a parent that was never stored.
  const startFamily = (gid: string, parsed: LineResult<R>): LineResult<R> | Held => {
    if (parsed.kind !== "row") return parsed;
    const done = open;
    open = { gid, row: parsed.row, children: [] };
    return done ? { kind: "row", row: close(done) } : { kind: "held" };
  };
  return {
    parse(text, line) {
      const quick = spec.quickChild?.(text);
      if (quick) return take(quick.parentId, quick.result, line);
      const parent = spec.quickParent?.(text, line);
      if (parent) return startFamily(parent.gid, parent.result);
      const json = parseJson(text);
      if ("reason" in json) return { kind: "error", line, reason: json.reason };
      const value = json.value;
      if (!isObj(value)) return { kind: "error", line, reason: "not a JSON object" };
      const parentId = value.__parentId;
      if (parentId !== undefined) {
        if (typeof parentId !== "string")
          return { kind: "error", line, reason: "__parentId: expected string" };
        return take(parentId, spec.child(value), line);
      }
      return startFamily(typeof value.id === "string" ? value.id : "", spec.parent(value, line));
    },
    end() {
      const done = open;
      open = null;
      return done ? [close(done)] : [];
    },
    strays: () => strays,
  };
}
