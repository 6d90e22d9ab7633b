import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { countTestModes, matrixGaps, VitestJsonReport } from "../../scripts/ci/test-modes";

// The per-mode counts CI prints, from a real vitest run: a throwaway project whose tests carry their
// modes in their describe titles as the repo's do, with the expected figures worked out by hand.

const repo = resolve(".");
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Runs vitest (with CI=true, as .ci/run does) on one test file in a project of its own. */
function vitestReport(source: string): { status: number | null; output: string; report: VitestJsonReport } {
  const dir = mkdtempSync(join(tmpdir(), "ci-modes-"));
  dirs.push(dir);
  symlinkSync(join(repo, "node_modules"), join(dir, "node_modules"));
  writeFileSync(join(dir, "vitest.config.mjs"), "export default {};\n");
  writeFileSync(join(dir, "modes.test.ts"), source);
  const out = join(dir, "report.json");
  const run = spawnSync(
    join(repo, "node_modules/.bin/vitest"),
    ["run", "--reporter=json", `--outputFile.json=${out}`],
    { cwd: dir, env: { ...process.env, CI: "true" }, encoding: "utf8", timeout: 60_000 },
  );
  const report = VitestJsonReport.parse(JSON.parse(readFileSync(out, "utf8")));
  return { status: run.status, output: run.stdout + run.stderr, report };
}

const reportCli = (file: string) =>
  spawnSync(process.execPath, ["--import", "tsx", "scripts/ci/report-test-modes.ts", file], {
    encoding: "utf8",
  });

describe("tests counted per database and queue mode", () => {
  it("counts what ran in each mode by the describe titles, and prints the run's closing line", () => {
    const { status, report } = vitestReport(`
import { describe, it } from "vitest";
describe.each([{ name: "pglite" }, { name: "postgres" }])("store ($name)", () => {
  it("a", () => {});
  it("b", () => {});
  it.skip("c", () => {});
});
describe("dispatch (postgres, BullMQ + Redis)", () => { it("x", () => {}); });
describe("job queue (db queue on pglite)", () => {
  it("y", () => {});
  it("z", () => { throw new Error("no"); });
});
describe("segment rules", () => { it("u", () => {}); });
`);
    expect(status).toBe(1); // z failed
    const counts = countTestModes(report);
    expect(counts.database).toEqual({
      PGlite: { passed: 3, failed: 1, skipped: 1 },
      PostgreSQL: { passed: 3, failed: 0, skipped: 1 },
    });
    expect(counts.queue).toEqual({
      "database queue": { passed: 1, failed: 1, skipped: 0 },
      BullMQ: { passed: 1, failed: 0, skipped: 0 },
    });
    expect(counts.noDatabaseMode).toEqual({ passed: 1, failed: 0, skipped: 0 });
    expect(counts.total).toEqual({ passed: 7, failed: 1, skipped: 2 });
    expect(matrixGaps(counts)).toEqual([]);

    const file = join(dirs.at(-1) ?? "", "report.json");
    const printed = reportCli(file);
    expect(printed.status).toBe(0);
    expect(printed.stdout).toMatch(/^ {2}database {2}PGlite {10}3 passed, 1 failed, 1 skipped$/m);
    expect(printed.stdout).toMatch(/^ {12}BullMQ {10}1 passed, 0 failed, 0 skipped$/m);
    expect(printed.stdout.trimEnd().split("\n").at(-1)).toBe("tests: 7 passed, 1 failed, 2 skipped");
  });

  it("fails loudly when a mode ran no test, a title names two modes, or there is no report", () => {
    const { report } = vitestReport(`
import { describe, it } from "vitest";
describe("store (pglite)", () => { it("a", () => {}); });
describe("moving rows from pglite to postgres", () => { it("m", () => {}); });
describe("job queue (bullmq)", () => { it("q", () => {}); });
`);
    const counts = countTestModes(report);
    expect(matrixGaps(counts)).toEqual([
      "no test passed on PostgreSQL",
      "no test passed on the database queue",
      "a test names two modes of a kind: moving rows from pglite to postgres › m",
    ]);
    const printed = reportCli(join(dirs.at(-1) ?? "", "report.json"));
    expect(printed.status).toBe(1);
    expect(printed.stdout).toContain("CI: the test matrix is incomplete: no test passed on PostgreSQL");

    const missing = reportCli(join(dirs.at(-1) ?? "", "nothing.json"));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^CI: no test report at .*nothing\.json/);
  });

  it("counts a file that failed before any test ran", () => {
    const { report } = vitestReport(`import "./does-not-exist";\n`);
    expect(matrixGaps(countTestModes(report))).toContainEqual(
      expect.stringMatching(/^a test file failed before any test ran: .*modes\.test\.ts$/),
    );
  });
});
