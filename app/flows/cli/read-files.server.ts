import { readFile } from "node:fs/promises";
import type { Parsed } from "../../campaigns/cli/inputs";
import { describeFileError, linesOf } from "../../segments/cli/input-file.server";
import { productFamilies } from "../../sync/backfill/product-lines";
import type { Checkout } from "../../sync/checkouts/checkout";
import type { ProductRow } from "../../sync/rows";
import { readCheckoutsFile, type BadLine } from "./checkouts-file";
import { parseFlowCustomer, type FlowFileCustomer } from "./customer-line";
import { OrdersFileReader, type FileOrder } from "./orders-file";

// The flows command's files, read line by line; bad lines come back with their numbers (the caller
// reports them as FILE:LINE: reason). Throws FileAccessError when a file fails halfway.

export interface Read<T> {
  rows: T[];
  errors: BadLine[];
  /** what was read but not used, in words */
  notes?: string[];
}

/** A small JSON file: its value, or the one-line messages to print (FILE: field: reason). */
export async function readJsonFile<T>(
  file: string,
  parse: (text: string) => Parsed<T>,
): Promise<{ ok: true; value: T } | { ok: false; errors: string[] }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    return { ok: false, errors: [`cannot read ${file}: ${describeFileError(error)}`] };
  }
  const parsed = parse(text);
  return parsed.ok ? parsed : { ok: false, errors: parsed.errors.map((e) => `${file}: ${e}`) };
}

export async function readCustomers(file: string): Promise<Read<FlowFileCustomer>> {
  const rows: FlowFileCustomer[] = [];
  const errors: BadLine[] = [];
  const firstLine = new Map<bigint, number>();
  let line = 0;
  for await (const text of linesOf(file)) {
    line++;
    if (text.trim() === "") {
      errors.push({ line, reason: "empty line" });
      continue;
    }
    const parsed = parseFlowCustomer(text, line);
    if (parsed.kind === "child") continue;
    if (parsed.kind === "error") {
      errors.push({ line, reason: parsed.reason });
      continue;
    }
    const first = firstLine.get(parsed.row.id);
    if (first !== undefined) errors.push({ line, reason: `id: duplicate customer (first on line ${first})` });
    else {
      firstLine.set(parsed.row.id, line);
      rows.push(parsed.row);
    }
  }
  return { rows, errors };
}

export async function readOrders(file: string, currency: string): Promise<Read<FileOrder>> {
  const reader = new OrdersFileReader(currency);
  let line = 0;
  for await (const text of linesOf(file)) reader.add(text, ++line);
  const { orders, errors } = reader.finish();
  return { rows: orders, errors };
}

export async function readCheckouts(file: string): Promise<Read<Checkout>> {
  const { checkouts, errors } = await readCheckoutsFile(linesOf(file));
  return { rows: checkouts, errors };
}

/** The backfill's products file: a product's variants (`__parentId`) say which can be bought. */
export async function readProducts(file: string): Promise<Read<ProductRow>> {
  const reader = productFamilies();
  const rows: ProductRow[] = [];
  const errors: BadLine[] = [];
  let line = 0;
  for await (const text of linesOf(file)) {
    line++;
    if (text.trim() === "") {
      errors.push({ line, reason: "empty line" });
      continue;
    }
    const parsed = reader.parse(text, line);
    if (parsed.kind === "row") rows.push(parsed.row);
    else if (parsed.kind === "error") errors.push({ line: parsed.line, reason: parsed.reason });
  }
  rows.push(...reader.end());
  // a variant away from its product is not applied (as the backfill): the product errs on "sold out"
  const strays = [...reader.strays().values()].reduce((n, variants) => n + variants.length, 0);
  const notes = strays > 0 ? [`${strays} variant lines away from their product were not applied`] : [];
  return { rows, errors, notes };
}
