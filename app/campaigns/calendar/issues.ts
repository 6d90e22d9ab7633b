import type { ZodError } from "zod";

// One shape for "what is wrong with these settings" across the calendar and the playbooks, so a form
// can put each message next to its field and a CLI can print one line per problem. Pure.

export interface SettingsIssue {
  /** the field, as a dotted path: "shipping.standard.date", "sends.1.localTime"; "" for the whole value */
  path: string;
  message: string;
}

export function settingsIssues(error: ZodError): SettingsIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
}

/** "shipping.standard.date: … ; sends.0.localTime: …" — every problem on one line, fields first. */
export function describeIssues(issues: readonly SettingsIssue[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
}

/** Thrown when a caller hands the calendar or a playbook invalid input; `issues` names each field. */
export class InvalidSettingsError extends Error {
  override readonly name = "InvalidSettingsError";
  constructor(
    readonly what: string,
    readonly issues: readonly SettingsIssue[],
  ) {
    super(`Invalid ${what}: ${describeIssues(issues)}`);
  }
}
