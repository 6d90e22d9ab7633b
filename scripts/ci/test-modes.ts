import { z } from "zod";

// How many tests of a run ran in each database mode (PGlite, PostgreSQL) and queue mode (database
// queue, BullMQ), read from vitest's JSON report. A test's mode is the one its describe blocks name
// — `describe.each(databaseModes)("… ($name)")` gives "(pglite)" / "(postgres)", the queue tests say
// "database queue" / "db queue" / "BullMQ" — so the counts are those of the run, not of a list. Pure.

export const TestStatus = z.enum(["passed", "failed", "skipped", "pending", "todo", "disabled"]);
export type TestStatus = z.infer<typeof TestStatus>;

export const VitestJsonReport = z.object({
  numTotalTests: z.number().int(),
  testResults: z.array(
    z.object({
      name: z.string(),
      status: z.string(),
      message: z.string().optional(),
      assertionResults: z.array(
        z.object({ ancestorTitles: z.array(z.string()), title: z.string(), status: TestStatus }),
      ),
    }),
  ),
});
export type VitestJsonReport = z.infer<typeof VitestJsonReport>;

export const DATABASE_MODES = ["PGlite", "PostgreSQL"] as const;
export const QUEUE_MODES = ["database queue", "BullMQ"] as const;
export type DatabaseMode = (typeof DATABASE_MODES)[number];
export type QueueMode = (typeof QUEUE_MODES)[number];

const DATABASE_WORDS: ReadonlyArray<readonly [DatabaseMode, RegExp]> = [
  ["PGlite", /\bpglite\b/i],
  ["PostgreSQL", /\bpostgres(?:ql)?\b/i],
];
const QUEUE_WORDS: ReadonlyArray<readonly [QueueMode, RegExp]> = [
  ["database queue", /\b(?:database|db)(?: job)? queue\b/i],
  ["BullMQ", /\bbullmq\b/i],
];

/** The one mode that the describe titles name, null for none, "ambiguous" when they name several. */
function named<M extends string>(
  titles: readonly string[],
  words: ReadonlyArray<readonly [M, RegExp]>,
): M | null | "ambiguous" {
  const text = titles.join(" › ");
  const found = words.filter(([, word]) => word.test(text)).map(([mode]) => mode);
  return found.length > 1 ? "ambiguous" : (found[0] ?? null);
}

export interface StatusCounts {
  passed: number;
  failed: number;
  skipped: number;
}

export interface ModeCounts {
  database: Record<DatabaseMode, StatusCounts>;
  queue: Record<QueueMode, StatusCounts>;
  /** tests whose describe blocks name no database mode (unit and browser tests, the app as configured) */
  noDatabaseMode: StatusCounts;
  /** tests whose describe blocks name two modes of a kind: a title to fix */
  ambiguous: string[];
  /** files that failed before any test ran (a syntax error, a failing import) */
  brokenFiles: string[];
  total: StatusCounts;
}

const zero = (): StatusCounts => ({ passed: 0, failed: 0, skipped: 0 });

function add(counts: StatusCounts, status: TestStatus): void {
  switch (status) {
    case "passed":
      counts.passed += 1;
      return;
    case "failed":
      counts.failed += 1;
      return;
    case "skipped":
    case "pending":
    case "todo":
    case "disabled":
      counts.skipped += 1;
      return;
    default: {
      const unknown: never = status;
      throw new Error(`unknown test status ${String(unknown)}`);
    }
  }
}

export function countTestModes(report: VitestJsonReport): ModeCounts {
  const counts: ModeCounts = {
    database: { PGlite: zero(), PostgreSQL: zero() },
    queue: { "database queue": zero(), BullMQ: zero() },
    noDatabaseMode: zero(),
    ambiguous: [],
    brokenFiles: [],
    total: zero(),
  };
  for (const file of report.testResults) {
    if (file.assertionResults.length === 0 && file.status === "failed") counts.brokenFiles.push(file.name);
    for (const test of file.assertionResults) {
      add(counts.total, test.status);
      const database = named(test.ancestorTitles, DATABASE_WORDS);
      const queue = named(test.ancestorTitles, QUEUE_WORDS);
      if (database === "ambiguous" || queue === "ambiguous") {
        counts.ambiguous.push([...test.ancestorTitles, test.title].join(" › "));
        continue;
      }
      add(database === null ? counts.noDatabaseMode : counts.database[database], test.status);
      if (queue !== null) add(counts.queue[queue], test.status);
    }
  }
  return counts;
}

const figures = (c: StatusCounts) => `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;

/** The table CI prints, ending with the run's closing line "tests: N passed, N failed, N skipped". */
export function formatTestModes(counts: ModeCounts): string {
  const row = (kind: string, mode: string, c: StatusCounts) =>
    `  ${kind.padEnd(9)} ${mode.padEnd(15)} ${figures(c)}`;
  return [
    "tests per mode (this run's report, by the mode each test's describe blocks name):",
    ...DATABASE_MODES.map((mode, i) => row(i === 0 ? "database" : "", mode, counts.database[mode])),
    ...QUEUE_MODES.map((mode, i) => row(i === 0 ? "queue" : "", mode, counts.queue[mode])),
    `  no database mode named (unit and browser tests, apps in the run's environment): ${figures(counts.noDatabaseMode)}`,
    ...counts.ambiguous.map((name) => `  names two modes of a kind: ${name}`),
    ...counts.brokenFiles.map((name) => `  failed before any test ran: ${name}`),
    `tests: ${figures(counts.total)}`,
  ].join("\n");
}

/** Why the run does not cover the matrix: a mode in which no test passed, a file that never ran. */
export function matrixGaps(counts: ModeCounts): string[] {
  const gaps: string[] = [];
  for (const mode of DATABASE_MODES)
    if (counts.database[mode].passed === 0) gaps.push(`no test passed on ${mode}`);
  for (const mode of QUEUE_MODES)
    if (counts.queue[mode].passed === 0) gaps.push(`no test passed on the ${mode}`);
  for (const name of counts.ambiguous) gaps.push(`a test names two modes of a kind: ${name}`);
  for (const name of counts.brokenFiles) gaps.push(`a test file failed before any test ran: ${name}`);
  return gaps;
}
