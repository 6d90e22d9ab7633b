import { spawnSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/demo/start-demo";

// .ci/run itself, in a copy of the repo's CI files: npm is a recorder (so the check is seen without
// installing or running the suite inside the suite), everything else is real — the services it
// must find, bash, and the per-mode report that must fail a run that produced no test report.

const repo = resolve(".");
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function ciCopy(): { dir: string; calls: string } {
  const dir = mkdtempSync(join(tmpdir(), "ci-run-"));
  dirs.push(dir);
  cpSync(join(repo, ".ci"), join(dir, ".ci"), { recursive: true });
  cpSync(join(repo, "scripts/ci"), join(dir, "scripts/ci"), { recursive: true });
  symlinkSync(join(repo, "node_modules"), join(dir, "node_modules"));
  mkdirSync(join(dir, "bin"));
  const calls = join(dir, "npm-calls.txt");
  writeFileSync(join(dir, "bin/npm"), `#!/bin/sh\necho "CI=$CI npm $*" >> "${calls}"\nexit 0\n`);
  chmodSync(join(dir, "bin/npm"), 0o755);
  return { dir, calls };
}

function ciRun(dir: string, env: Record<string, string>) {
  return spawnSync("bash", [join(dir, ".ci/run")], {
    env: { ...process.env, PATH: `${join(dir, "bin")}:${process.env.PATH ?? ""}`, CI: "", ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
}

describe(".ci/run", () => {
  it("fails before installing anything when PostgreSQL does not answer, and says so", async () => {
    const { dir, calls } = ciCopy();
    const url = `postgresql://postgres@127.0.0.1:${await freePort()}/test`;
    const run = ciRun(dir, { DATABASE_URL: url, REDIS_URL: "redis://127.0.0.1:6379" });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`CI: PostgreSQL does not answer at ${url}`);
    expect(existsSync(calls) ? readFileSync(calls, "utf8") : "").toBe("");
  });

  // needs a PostgreSQL that answers (checked first); a default URL that does not would be started
  it.skipIf(!process.env.DATABASE_URL)(
    "fails before installing anything when Redis does not answer, and says so",
    async () => {
      const { dir, calls } = ciCopy();
      const url = `redis://127.0.0.1:${await freePort()}`;
      const run = ciRun(dir, { DATABASE_URL: process.env.DATABASE_URL ?? "", REDIS_URL: url });
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain(`CI: Redis does not answer at ${url}`);
      expect(existsSync(calls) ? readFileSync(calls, "utf8") : "").toBe("");
    },
  );

  it.skipIf(!process.env.DATABASE_URL || !process.env.REDIS_URL)(
    "with both services: installs, checks, runs the tests with CI=true and a JSON report, and fails a run without one",
    () => {
      const { dir, calls } = ciCopy();
      const run = ciRun(dir, {
        DATABASE_URL: process.env.DATABASE_URL ?? "",
        REDIS_URL: process.env.REDIS_URL ?? "",
      });
      const lines = readFileSync(calls, "utf8").trim().split("\n");
      expect(lines.slice(0, 3)).toEqual([
        "CI=true npm ci --no-audit --no-fund",
        "CI=true npm run typecheck",
        "CI=true npm run lint",
      ]);
      expect(lines[3]).toMatch(
        /^CI=true npm test -- --reporter=default --reporter=json --outputFile\.json=\S+\.json$/,
      );
      // the recorder ran no test, so there is no report: the run must not pass
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/CI: no test report at /);
    },
  );
});
