import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { z } from "zod";
import { RehearsalRecord } from "./record";

// Rehearsal records live as files under DATA_DIR/rehearsals: `npm run rehearse` runs against a
// stack of its own and leaves its record here, where the app that shares DATA_DIR lists it.

export const REHEARSALS_DIR = "rehearsals";
const KEPT_ON_PAGE = 20;
const FILE = /^rehearsal-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(?:-\d+)?\.json$/;

export type RehearsalEntry =
  { file: string; ok: true; record: RehearsalRecord } | { file: string; ok: false; problem: string };

/**
 * Stores a record as JSON (a percentile of nothing, NaN, becomes null); the file is named by the
 * rehearsal's start, so later runs sort last.
 */
export async function saveRehearsal(
  dataDir: string,
  record: z.input<typeof RehearsalRecord>,
): Promise<string> {
  const stored = RehearsalRecord.parse(JSON.parse(JSON.stringify(record)));
  const dir = join(dataDir, REHEARSALS_DIR);
  await mkdir(dir, { recursive: true });
  const stamp = stored.date.slice(0, 19).replace(/:/g, "-");
  const names = new Set(await readdir(dir));
  let file = `rehearsal-${stamp}.json`;
  for (let n = 2; names.has(file); n++) file = `rehearsal-${stamp}-${n}.json`;
  await writeFile(join(dir, file), `${JSON.stringify(stored, null, 2)}\n`, { flag: "wx" });
  return join(dir, file);
}

/** The latest records, newest first; a file that does not read as a record says why. */
export async function listRehearsals(dataDir: string): Promise<RehearsalEntry[]> {
  const dir = join(dataDir, REHEARSALS_DIR);
  const names = await readdir(dir).catch((error: unknown) => {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return [];
    throw error;
  });
  const files = names
    .filter((name) => FILE.test(name))
    .sort()
    .reverse()
    .slice(0, KEPT_ON_PAGE);
  return Promise.all(files.map((file) => readRehearsal(dir, file)));
}

async function readRehearsal(dir: string, file: string): Promise<RehearsalEntry> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(join(dir, file), "utf8"));
  } catch (error) {
    return {
      file,
      ok: false,
      problem: `not JSON (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  const parsed = RehearsalRecord.safeParse(json);
  if (parsed.success) return { file, ok: true, record: parsed.data };
  const issue = parsed.error.issues[0];
  return {
    file,
    ok: false,
    problem: `not a rehearsal record: ${issue ? `${issue.path.join(".") || "(top)"}: ${issue.message}` : "?"}`,
  };
}
