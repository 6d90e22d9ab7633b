import { GraphQLError } from "graphql";

// Shopify's search syntax, the part the app uses: `field:value`, comparators (> >= < <=),
// quoted values, implicit AND, `OR`, negation with `-` or `NOT`. A field the emulator does
// not know is refused loudly instead of being ignored, so a test cannot pass by accident.

export type FieldValue = number | string | boolean | null | readonly string[];
export type FieldKind = "time" | "number" | "string" | "boolean" | "tags" | "phone";
export interface SearchField {
  kind: FieldKind;
  get(index: number): FieldValue;
  /** the records with exactly this value, found without a scan (a million customers by email); undefined: scan */
  lookup?(value: string): number[] | undefined;
}
export type SearchFields = Record<string, SearchField>;
export type Predicate = (index: number) => boolean;

interface Term {
  negate: boolean;
  field: string;
  op: ">" | ">=" | "<" | "<=" | "=";
  value: string;
}

const TOKEN = /\s*(-?)([a-z_]+):(>=|<=|>|<|=)?('(?:[^'])*'|"(?:[^"])*"|[^\s)]+)|\s*(OR|AND|NOT)\b|\s*(\S+)/gy;

function parseTerms(query: string): Term[][] {
  const groups: Term[][] = [[]];
  let negateNext = false;
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN.exec(query)) !== null && m[0].trim() !== "") {
    if (m[5] === "OR") groups.push([]);
    else if (m[5] === "NOT") negateNext = true;
    else if (m[5] === "AND") continue;
    else if (m[6] !== undefined) throw new GraphQLError(`not emulated: free-text search term '${m[6]}'`);
    else {
      const raw = m[4] ?? "";
      const value = /^['"]/.test(raw) ? raw.slice(1, -1) : raw;
      const op = m[3] === undefined || m[3] === "" ? "=" : m[3];
      if (op !== ">" && op !== ">=" && op !== "<" && op !== "<=" && op !== "=") continue;
      groups[groups.length - 1]?.push({ negate: m[1] === "-" || negateNext, field: m[2] ?? "", op, value });
      negateNext = false;
    }
  }
  return groups.filter((g) => g.length > 0);
}

function compare(a: number, op: Term["op"], b: number): boolean {
  switch (op) {
    case ">": return a > b;
    case ">=": return a >= b;
    case "<": return a < b;
    case "<=": return a <= b;
    default: return a === b;
  }
}

function termPredicate(term: Term, field: SearchField): Predicate {
  const v = term.value;
  let test: (value: FieldValue) => boolean;
  if (field.kind === "time") {
    const t = Date.parse(v);
    if (Number.isNaN(t)) throw new GraphQLError(`Invalid date in search query: ${v}`);
    test = (x) => typeof x === "number" && compare(x, term.op, t);
  } else if (field.kind === "number") {
    const n = Number(v.replace(/^gid:\/\/shopify\/\w+\//, ""));
    test = (x) => typeof x === "number" && compare(x, term.op, n);
  } else if (field.kind === "boolean") {
    test = (x) => x === (v.toLowerCase() === "true");
  } else if (field.kind === "phone") {
    // "+1 613-555-0101" and "+16135550101" are the same number
    const digits = (x: string) => x.replace(/[^\d]/g, "");
    test = (x) => typeof x === "string" && digits(x) === digits(v) && digits(v) !== "";
  } else if (field.kind === "tags") {
    test = (x) => Array.isArray(x) && x.some((tag) => tag.toLowerCase() === v.toLowerCase());
  } else {
    const prefix = v.endsWith("*") ? v.slice(0, -1).toLowerCase() : undefined;
    test = (x) => typeof x === "string" && (prefix !== undefined ? x.toLowerCase().startsWith(prefix) : x.toLowerCase() === v.toLowerCase());
  }
  return term.negate ? (i) => !test(field.get(i)) : (i) => test(field.get(i));
}

/** `field:value` alone, on a field with a lookup: its one match (or none); undefined: scan. */
export function exactMatches(query: string | null | undefined, fields: SearchFields): number[] | undefined {
  if (query === null || query === undefined) return undefined;
  const groups = parseTerms(query);
  const term = groups.length === 1 && groups[0]?.length === 1 ? groups[0][0] : undefined;
  const field = term ? fields[term.field] : undefined;
  if (!term || !field?.lookup || term.negate || term.op !== "=" || term.value.endsWith("*")) return undefined;
  return field.lookup(term.value);
}

/** Compiles a search query; undefined means "everything". */
export function compileSearch(query: string | null | undefined, fields: SearchFields): Predicate | undefined {
  if (query === null || query === undefined || query.trim() === "") return undefined;
  const groups = parseTerms(query).map((terms) =>
    terms.map((term) => {
      const field = fields[term.field];
      if (!field) throw new GraphQLError(`not emulated: search field '${term.field}' (emulated: ${Object.keys(fields).join(", ")})`);
      return termPredicate(term, field);
    }),
  );
  return (i) => groups.some((preds) => preds.every((p) => p(i)));
}
