import { getEnv } from "./env.server";

// One line per event, `level message key=value …`, to stdout (info/debug) or stderr (warn/error).
// Callers pass ids and counts only: never emails, phones, addresses, tokens or payloads.

type Level = "error" | "warn" | "info" | "debug";
const rank: Record<Level, number> = { error: 0, warn: 1, info: 2, debug: 3 };
export type LogFields = Record<string, string | number | boolean | bigint | null | undefined>;

function write(level: Level, message: string, fields: LogFields = {}): void {
  if (rank[level] > rank[getEnv().LOG_LEVEL]) return;
  const extras = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === "string" && /\s/.test(value) ? JSON.stringify(value) : String(value)}`)
    .join(" ");
  const line = `${new Date().toISOString()} ${level} ${message}${extras ? ` ${extras}` : ""}\n`;
  (rank[level] <= rank.warn ? process.stderr : process.stdout).write(line);
}

export const logger = {
  error: (message: string, fields?: LogFields) => write("error", message, fields),
  warn: (message: string, fields?: LogFields) => write("warn", message, fields),
  info: (message: string, fields?: LogFields) => write("info", message, fields),
  debug: (message: string, fields?: LogFields) => write("debug", message, fields),
};

/** A `log(line)` function for stages that take one (backfill, reconcile, jobs). */
export const logLine = (line: string) => write("info", line);
