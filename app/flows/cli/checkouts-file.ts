import type { Checkout, CheckoutLineItem } from "../../sync/checkouts/checkout";
import { parseCheckoutLine } from "./checkout-line";

// The flows command line's checkouts file (JSONL), read line by line: each checkout line is one
// version of a checkout (a webhook log holds several per checkout, an export one), and a bulk
// export's line-item lines (`__parentId`) join the checkout they name wherever they come in the
// file. A bad line is reported as LINE: reason and left out; the rest is read. Pure: the caller
// hands in the lines (app/segments/cli/input-file.server.ts reads a file into them).

export interface BadLine {
  line: number;
  reason: string;
}

export interface CheckoutsFile {
  /** every version read, in file order, each with its line items */
  checkouts: Checkout[];
  errors: BadLine[];
}

interface Version {
  checkout: Checkout;
  line: number;
  itemsInline: boolean;
}

export class CheckoutsFileReader {
  private readonly versions: Version[] = [];
  /** the latest version of each checkout read so far, by id */
  private readonly latest = new Map<bigint, Version>();
  private readonly pending: Array<{ line: number; checkoutId: bigint; item: CheckoutLineItem }> = [];
  private readonly errors: BadLine[] = [];

  /** Reads line number `line` (1-based) of the file. */
  add(text: string, line: number): void {
    const parsed = parseCheckoutLine(text);
    switch (parsed.kind) {
      case "error":
        this.errors.push({ line, reason: parsed.reason });
        return;
      case "checkout": {
        const version = { checkout: parsed.checkout, line, itemsInline: parsed.itemsInline };
        this.versions.push(version);
        this.latest.set(parsed.checkout.id, version);
        return;
      }
      case "item":
        this.pending.push({ line, checkoutId: parsed.checkoutId, item: parsed.item });
        return;
      default: {
        const unreachable: never = parsed;
        throw new Error(`unknown line ${String(unreachable)}`);
      }
    }
  }

  /** Once every line is read: child line items joined to their checkout, and what could not be. */
  finish(): CheckoutsFile {
    for (const { line, checkoutId, item } of this.pending) {
      const version = this.latest.get(checkoutId);
      if (!version) this.errors.push({ line, reason: `__parentId: no checkout ${checkoutId} in the file` });
      else if (version.itemsInline)
        this.errors.push({
          line,
          reason: `__parentId: checkout ${checkoutId} on line ${version.line} lists its line items inline`,
        });
      else version.checkout.lineItems.push(item);
    }
    this.pending.length = 0;
    return {
      checkouts: this.versions.map((v) => v.checkout),
      errors: [...this.errors].sort((a, b) => a.line - b.line),
    };
  }
}

/** Reads every line of a checkouts file. */
export async function readCheckoutsFile(
  lines: AsyncIterable<string> | Iterable<string>,
): Promise<CheckoutsFile> {
  const reader = new CheckoutsFileReader();
  let line = 0;
  for await (const text of lines) reader.add(text, ++line);
  return reader.finish();
}

/** The newest version of each checkout (by updatedAt; on a tie, the later line), in order of first appearance. */
export function latestVersions(checkouts: readonly Checkout[]): Checkout[] {
  const newest = new Map<bigint, Checkout>();
  for (const checkout of checkouts) {
    const seen = newest.get(checkout.id);
    if (!seen || seen.updatedAt.getTime() <= checkout.updatedAt.getTime()) newest.set(checkout.id, checkout);
  }
  return [...newest.values()];
}

/** "LINE: reason", one per bad line, for the command's error output (FILE: prepended by the caller). */
export function describeBadLines(errors: readonly BadLine[]): string[] {
  return errors.map((e) => `${e.line}: ${e.reason}`);
}
