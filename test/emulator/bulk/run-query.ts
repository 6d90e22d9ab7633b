import type { DocumentNode } from "graphql";
import { run } from "../graphql/execute";
import { flattenNode, rootItems } from "./jsonl";
import type { LineSink } from "./operations";

const BATCH = 500;

export interface QueryDeps {
  rootValue(): unknown;
  context(slice: { from: number; to: number; cache: Map<string, number[]> }): unknown;
}

/** A bulk query: the document runs over its root connection slice by slice; nothing is paginated. */
export async function produceQueryLines(
  document: DocumentNode,
  sink: LineSink,
  deps: QueryDeps,
): Promise<void> {
  const cache = new Map<string, number[]>();
  for (let from = 0; ; from += BATCH) {
    if (sink.canceling()) return;
    const { data, errors } = await run(
      document,
      undefined,
      deps.rootValue(),
      {},
      deps.context({ from, to: from + BATCH, cache }),
    );
    if (errors.length > 0) throw new Error(errors.map((e) => e.message).join("; "));
    const roots = rootItems(data);
    for (const root of roots) {
      const lines: string[] = [];
      flattenNode(root, undefined, lines);
      for (const [i, line] of lines.entries()) await sink.write(line, i === 0);
    }
    if (from === 0) sink.checkpoint();
    if (roots.length < BATCH) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
