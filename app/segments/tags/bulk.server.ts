import { runBulkMutation } from "../../sync/bulk-mutation/run-bulk-mutation.server";
import { SEGMENT_TAGS_BULK_ADD_MUTATION, SEGMENT_TAGS_BULK_REMOVE_MUTATION } from "./documents";
import {
  segmentTag,
  staleTags,
  tagLineOutcome,
  variablesLine,
  type TagLine,
  type TaggableCustomer,
} from "./plan";
import type { Tagged } from "./tagged.server";
import type { TagMode, TagWriteDeps } from "./deps";

// Many customers: bulk mutations, one line per customer. A bulk run executes one document, so
// tags move in two runs — tagsAdd of the new segment tag, then tagsRemove of the stale ones for the
// customers whose add succeeded — keeping every customer tagged throughout, as the per-customer
// path does. A customer counts as written only when every line sent for it succeeded.

const LOGGED_REFUSALS = 20;

/** Runs one document over `lines`; the indexes of the lines Shopify applied. */
async function runTagLines(
  deps: TagWriteDeps,
  shop: string,
  field: "tagsAdd" | "tagsRemove",
  lines: readonly TagLine[],
): Promise<Set<number>> {
  const applied = new Set<number>();
  if (lines.length === 0) return applied;
  let refused = 0;
  const document = field === "tagsAdd" ? SEGMENT_TAGS_BULK_ADD_MUTATION : SEGMENT_TAGS_BULK_REMOVE_MUTATION;
  const outcome = await runBulkMutation(
    deps,
    document,
    lines.map(variablesLine),
    (result) => {
      const line = lines[result.lineNumber];
      if (!line) return;
      const verdict = tagLineOutcome(result.data, result.errors, field, line.id);
      if (verdict.ok) applied.add(result.lineNumber);
      else if (++refused <= LOGGED_REFUSALS)
        deps.log(`segment tags (${shop}): customer ${line.id} refused: ${verdict.reason}`);
    },
    `segment tags (${shop}) ${field}`,
  );
  if (refused > LOGGED_REFUSALS)
    deps.log(`segment tags (${shop}): ${refused - LOGGED_REFUSALS} more customers refused by ${field}`);
  const unanswered = lines.length - applied.size - refused;
  if (unanswered > 0) deps.log(`segment tags (${shop}): ${unanswered} ${field} lines without a result`);
  // Lines of a failed run may or may not have been applied; everything unconfirmed is sent again later.
  if (outcome.status !== "COMPLETED") {
    throw new Error(
      `segment tags (${shop}): bulk ${field} ended ${outcome.status}${outcome.errorCode ? ` (${outcome.errorCode})` : ""}; retrying later`,
    );
  }
  return applied;
}

/** Writes the customers' tags with bulk mutations; what Shopify now holds for those it applied. */
export async function writeBulk(
  deps: TagWriteDeps,
  shop: string,
  mode: TagMode,
  customers: readonly TaggableCustomer[],
): Promise<Tagged[]> {
  const keep = (c: TaggableCustomer) => (mode === "tag" ? c.segment : null);
  let added = new Set(customers.keys());
  if (mode === "tag")
    added = await runTagLines(
      deps,
      shop,
      "tagsAdd",
      customers.map((c) => ({ id: c.id, tags: [segmentTag(c.segment)] })),
    );

  const removals = customers.flatMap((c, i) => {
    const tags = staleTags(c, keep(c));
    return added.has(i) && tags.length > 0 ? [{ i, line: { id: c.id, tags } }] : [];
  });
  const removed = await runTagLines(
    deps,
    shop,
    "tagsRemove",
    removals.map((r) => r.line),
  );
  const pendingRemoval = new Set(removals.filter((_, j) => !removed.has(j)).map((r) => r.i));

  return customers.flatMap((c, i) =>
    added.has(i) && !pendingRemoval.has(i) ? [{ id: c.id, segment: keep(c) }] : [],
  );
}
