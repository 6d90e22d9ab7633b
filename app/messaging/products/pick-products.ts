// Which products a cross-sell shows one customer (the `recent` segment's treatment): only products
// that can be sold now, never one the customer already bought; first those that go with what they
// bought (same product type, shared tags), then the shop's best sellers. Pure and deterministic:
// the same catalogue and purchases give the same products in the same order, whatever order the
// catalogue came in.

export interface CatalogueEntry {
  /** the product's numeric id, in decimal */
  id: string;
  productType: string;
  tags: readonly string[];
  /** counted orders containing it */
  salesCount: number;
  /** can be bought now (active, on the storefront, in stock) and shown in a message */
  sellable: boolean;
}

export interface Catalogue<P extends CatalogueEntry> {
  /** every entry by id: what a bought product is, even when it cannot be sold any more */
  byId: ReadonlyMap<string, P>;
  /** the sellable entries, best sellers first */
  ranked: readonly P[];
}

/** Numeric order of decimal ids without leading zeros. */
const byId = (a: string, b: string): number => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

const norm = (value: string): string => value.trim().toLowerCase();

/**
 * Indexes a catalogue once for many customers. An id listed twice is sellable only if every entry
 * says so (the first entry stands for it otherwise).
 */
export function prepareCatalogue<P extends CatalogueEntry>(entries: readonly P[]): Catalogue<P> {
  const first = new Map<string, P>();
  const unsellable = new Set<string>();
  for (const entry of entries) {
    if (!first.has(entry.id)) first.set(entry.id, entry);
    if (!entry.sellable) unsellable.add(entry.id);
  }
  const ranked = [...first.values()]
    .filter((entry) => !unsellable.has(entry.id))
    .sort((a, b) => b.salesCount - a.salesCount || byId(a.id, b.id));
  return { byId: first, ranked };
}

/** How well a product goes with what was bought: a shared product type counts 2, each shared tag 1. */
function affinityTo(bought: readonly CatalogueEntry[]): (entry: CatalogueEntry) => number {
  const types = new Set(bought.map((p) => norm(p.productType)).filter((t) => t !== ""));
  const tags = new Set(bought.flatMap((p) => p.tags.map(norm)).filter((t) => t !== ""));
  if (types.size === 0 && tags.size === 0) return () => 0;
  return (entry) => {
    let score = types.has(norm(entry.productType)) ? 2 : 0;
    for (const tag of new Set(entry.tags.map(norm))) if (tags.has(tag)) score += 1;
    return score;
  };
}

/** Up to `limit` products for a customer who bought `boughtIds`; empty when none qualifies. */
export function pickFor<P extends CatalogueEntry>(
  catalogue: Catalogue<P>,
  boughtIds: readonly string[],
  limit: number,
): P[] {
  if (limit <= 0) return [];
  const bought = new Set(boughtIds);
  const profile = [...bought].flatMap((id) => catalogue.byId.get(id) ?? []);
  const affinity = affinityTo(profile);
  const open = catalogue.ranked.filter((entry) => !bought.has(entry.id));
  const matches = open
    .map((entry, rank) => ({ entry, rank, score: affinity(entry) }))
    .filter((m) => m.score > 0)
    .sort((a, b) => b.score - a.score || a.rank - b.rank)
    .slice(0, limit)
    .map((m) => m.entry);
  const chosen = new Set(matches.map((entry) => entry.id));
  const rest = open.filter((entry) => !chosen.has(entry.id)).slice(0, limit - matches.length);
  return [...matches, ...rest];
}

/** pickFor over a catalogue given as a list (one customer). */
export function pickProducts<P extends CatalogueEntry>(
  entries: readonly P[],
  boughtIds: readonly string[],
  limit: number,
): P[] {
  return pickFor(prepareCatalogue(entries), boughtIds, limit);
}
