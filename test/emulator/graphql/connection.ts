import { GraphQLError } from "graphql";
import { z } from "zod";

export const MAX_PAGE = 250;

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

const pageArgs = z.object({
  first: z.number().int().nullish(),
  last: z.number().int().nullish(),
  after: z.string().nullish(),
  before: z.string().nullish(),
});

export function readPageArgs(args: unknown): PageArgs {
  const parsed = pageArgs.safeParse(args);
  return parsed.success ? parsed.data : {};
}

const cursorShape = z.object({ last_id: z.number() });

export function encodeCursor(legacyId: number): string {
  return Buffer.from(JSON.stringify({ last_id: legacyId })).toString("base64url");
}

function decodeCursor(cursor: string): number {
  try {
    const parsed = cursorShape.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    if (parsed.success) return parsed.data.last_id;
  } catch {
    // fall through to the error below
  }
  throw new GraphQLError("Invalid cursor for current pagination sort.");
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/**
 * One page over an already filtered and sorted list of record indices. `all` (bulk
 * operations) ignores pagination arguments like Shopify's bulk executor does.
 */
export function paginate<T>(indices: readonly number[], args: PageArgs, idOf: (i: number) => number, nodeOf: (i: number) => T, all = false): Connection<T> {
  let from = 0;
  let to = indices.length;
  if (!all) {
    const { first, last, after, before } = args;
    if ((first === null || first === undefined) && (last === null || last === undefined)) {
      throw new GraphQLError("you must provide one of first or last");
    }
    for (const [name, value] of [["first", first], ["last", last]] as const) {
      if (value !== null && value !== undefined && (value < 0 || value > MAX_PAGE)) {
        throw new GraphQLError(`The '${name}' argument must be between 0 and ${MAX_PAGE}.`);
      }
    }
    const position = (cursor: string): number => {
      const id = decodeCursor(cursor);
      const p = indices.findIndex((i) => idOf(i) === id);
      if (p < 0) throw new GraphQLError("Invalid cursor for current pagination sort.");
      return p;
    };
    if (after) from = position(after) + 1;
    if (before) to = position(before);
    if (first !== null && first !== undefined) to = Math.min(to, from + first);
    if (last !== null && last !== undefined) from = Math.max(from, to - last);
  }
  const page = indices.slice(from, Math.max(from, to));
  const edges = page.map((i) => ({ cursor: encodeCursor(idOf(i)), node: nodeOf(i) }));
  const nodes = edges.map((e) => e.node);
  return {
    edges,
    nodes,
    pageInfo: {
      hasNextPage: to < indices.length,
      hasPreviousPage: from > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
