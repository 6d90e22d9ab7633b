import { forEachLine } from "../../sync/jsonl/file-lines.server";
import { describeFileError, FileAccessError } from "./input-file.server";

// What the command lines' readers share: the --strict stop, a bad line's report, the file's lines.

/** Thrown after reporting the first bad line under --strict. */
export class StrictStop extends Error {}

/** Reports a bad line of a file (1-based); throws StrictStop under --strict. */
export type ReportBad = (line: number, reason: string) => void;

/** A line's text as the string parsers read it: decoded, one trailing "\r" dropped. */
export function lineText(buf: Buffer, start: number, end: number): string {
  const text = buf.toString("utf8", start, end);
  return text.endsWith("\r") ? text.slice(0, -1) : text;
}

/** forEachLine with a read failure (a system error) as the command's one-line error. */
export async function eachLine(
  file: string,
  visit: (buf: Buffer, start: number, end: number) => void,
  range: { from?: number; to?: number } = {},
): Promise<void> {
  try {
    await forEachLine(file, visit, range);
  } catch (error) {
    // the visitor's own errors (StrictStop, a bug) go on as they are
    if (!(error instanceof Error && "code" in error && typeof error.code === "string")) throw error;
    throw new FileAccessError(`cannot read ${file}: ${describeFileError(error)}`);
  }
}
