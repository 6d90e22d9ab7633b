import { parseCustomerFacts, type CustomerFacts } from "../../sync/backfill/fact-lines";
import { CustomerFactsReader } from "../../sync/jsonl/customer-facts-bytes";
import { READ } from "../../sync/jsonl/order-facts-bytes";
import { eachLine, lineText, type ReportBad } from "./read-lines.server";
import type { CustomerIds } from "./table";

// The customers file into a table of ids, a slot per accepted customer in file order. Lines are
// read from the bytes; one the byte reader leaves is read by parseCustomerFacts, which says why a
// line is bad.

/** Reads `file` into `table`; `onCustomer` gets each accepted customer in slot order. */
export async function readCustomers<T extends CustomerIds>(
  file: string,
  table: T,
  bad: ReportBad,
  onCustomer?: (customer: CustomerFacts) => void,
): Promise<T> {
  const add = (id: number, line: number, facts: () => CustomerFacts): void => {
    if (!Number.isSafeInteger(id)) bad(line, "id: beyond 2^53");
    else if (!table.add(id)) bad(line, "id: duplicate customer");
    else onCustomer?.(facts());
  };
  const reader = new CustomerFactsReader();
  const readerFacts = () => reader.facts();
  let line = 0;
  await eachLine(file, (buf, start, end) => {
    line++;
    const read = reader.read(buf, start, end);
    if (read === READ.ROW) return add(reader.id, line, readerFacts);
    if (read === READ.CHILD) return;
    const text = lineText(buf, start, end);
    if (text.trim() === "") return bad(line, "empty line");
    const result = parseCustomerFacts(text, line);
    if (result.kind === "error") bad(line, result.reason);
    else if (result.kind === "row") add(Number(result.row.id), line, () => result.row);
  });
  return table;
}
