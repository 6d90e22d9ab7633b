// CSV records out of a file's lines, RFC 4180: a field in double quotes may hold commas, doubled
// quotes and line breaks. Pure. A record is complete when its quotes pair up, so each line is
// scanned once however long a quoted field runs; a quote inside an unquoted field is refused, as it
// would leave that count meaningless.

export type CsvRecord = { line: number; fields: string[] } | { line: number; error: string };

function countQuotes(text: string): number {
  let count = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) count++;
  return count;
}

/** The fields of one complete record's text, or why it is not a record. */
export function splitRecord(text: string): string[] | string {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = "";
      let j = i + 1;
      for (;;) {
        const close = text.indexOf('"', j);
        if (close === -1) return "a quoted field is not closed";
        value += text.slice(j, close);
        if (text[close + 1] === '"') {
          value += '"';
          j = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      fields.push(value);
      if (i < text.length && text[i] !== ",") return `field ${fields.length}: text after its closing quote`;
    } else {
      const comma = text.indexOf(",", i);
      const value = text.slice(i, comma === -1 ? text.length : comma);
      if (value.includes('"')) return `field ${fields.length + 1}: a quote inside a field that is not quoted`;
      fields.push(value);
      i = comma === -1 ? text.length : comma;
    }
    if (i >= text.length) return fields;
    i++; // the comma
  }
}

/** Feeds lines in order (1-based numbers); gives each record when its last line has come. */
export class CsvRecords {
  private pending: string[] = [];
  private pendingQuotes = 0;
  private firstLine = 0;

  push(line: string, lineNumber: number): CsvRecord | null {
    if (this.pending.length === 0) this.firstLine = lineNumber;
    this.pending.push(line);
    this.pendingQuotes += countQuotes(line);
    if (this.pendingQuotes % 2 === 1) return null;
    const text = this.pending.join("\n");
    this.pending = [];
    this.pendingQuotes = 0;
    const fields = splitRecord(text);
    return typeof fields === "string"
      ? { line: this.firstLine, error: fields }
      : { line: this.firstLine, fields };
  }

  /** True between the line that opens a quoted field and the one that closes it. */
  inQuotedField(): boolean {
    return this.pending.length > 0;
  }

  /** At the end of the file: an error when a quoted field is still open. */
  end(): { line: number; error: string } | null {
    return this.pending.length > 0
      ? { line: this.firstLine, error: "a quoted field is not closed by the end of the file" }
      : null;
  }
}
