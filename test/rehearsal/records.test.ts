import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { rehearsalRecord } from "../support/rehearsal-record";
import { listRehearsals, saveRehearsal } from "~/rehearsals/rehearsals.server";

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "rehearsals-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("rehearsal records on disk", () => {
  it("lists nothing before the first rehearsal", async () => {
    expect(await listRehearsals(dataDir())).toEqual([]);
  });

  it("keeps what the command measured, a percentile of nothing as null, newest first", async () => {
    const dir = dataDir();
    const first = rehearsalRecord("2026-12-06T08:00:00.000Z");
    first.report.queueLagMs = { count: 0, p50: Number.NaN, p99: Number.NaN, max: Number.NaN };
    const path = await saveRehearsal(dir, first);
    expect(path).toBe(join(dir, "rehearsals", "rehearsal-2026-12-06T08-00-00.json"));
    expect(JSON.parse(readFileSync(path, "utf8")).report.queueLagMs).toEqual({
      count: 0,
      p50: null,
      p99: null,
      max: null,
    });
    await saveRehearsal(dir, rehearsalRecord("2026-12-06T09:30:00.000Z"));
    // Two runs started in the same second keep both records.
    const again = await saveRehearsal(dir, rehearsalRecord("2026-12-06T09:30:00.500Z"));
    expect(again).toMatch(/rehearsal-2026-12-06T09-30-00-2\.json$/);
    const listed = await listRehearsals(dir);
    expect(listed.map((e) => e.file)).toEqual([
      "rehearsal-2026-12-06T09-30-00.json",
      "rehearsal-2026-12-06T09-30-00-2.json",
      "rehearsal-2026-12-06T08-00-00.json",
    ]);
    const oldest = listed[2];
    expect(oldest?.ok && oldest.record.report.queueLagMs.p99).toBeNull();
    expect(oldest?.ok && oldest.record.report.stepLatenessMs.p99).toBe(41_000);
  });

  it("says why a file is not a record, and ignores files that are not rehearsals", async () => {
    const dir = dataDir();
    await saveRehearsal(dir, rehearsalRecord());
    writeFileSync(join(dir, "rehearsals", "rehearsal-2026-12-07T00-00-00.json"), "{ not json");
    const wrong = rehearsalRecord();
    const broken = {
      ...wrong,
      report: { ...wrong.report, checks: { ...wrong.report.checks, duplicates: "none" } },
    };
    writeFileSync(join(dir, "rehearsals", "rehearsal-2026-12-08T00-00-00.json"), JSON.stringify(broken));
    writeFileSync(join(dir, "rehearsals", "notes.json"), "{}");
    const listed = await listRehearsals(dir);
    expect(listed.map((e) => (e.ok ? e.file : `${e.file}: ${e.problem}`))).toEqual([
      "rehearsal-2026-12-08T00-00-00.json: not a rehearsal record: report.checks.duplicates: Expected number, received string",
      expect.stringMatching(/^rehearsal-2026-12-07T00-00-00\.json: not JSON \(/),
      "rehearsal-2026-12-06T08-00-00.json",
    ]);
  });
});
