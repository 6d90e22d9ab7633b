import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { liftCommand } from "./command";

// `lift` on small hand-made files, run in-process through its command, and once through
// `npm run cli` (tsx, a child process) for the entry point's branch.

const dir = mkdtempSync(join(tmpdir(), "cli-lift-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function lift(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string[] }> {
  let stdout = "";
  const stderr: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      stdout += chunk.toString();
      done();
    },
  });
  const code = await liftCommand(argv, { stdout: sink, stderr: (line) => stderr.push(line) });
  return { code, stdout, stderr };
}

const Arm = z.object({ n: z.number(), conversions: z.number(), revenue: z.number() }).strict();
const Estimate = z
  .object({ estimate: z.number().nullable(), ci95: z.tuple([z.number(), z.number()]).nullable() })
  .strict();
const Line = z
  .object({
    group: z.string(),
    treated: Arm,
    control: Arm,
    conversion_lift: Estimate,
    revenue_per_recipient_lift: Estimate,
  })
  .strict();
const KEYS = ["group", "treated", "control", "conversion_lift", "revenue_per_recipient_lift"];

function parseLines(stdout: string): z.infer<typeof Line>[] {
  return stdout
    .trimEnd()
    .split("\n")
    .map((text) => {
      const json: unknown = JSON.parse(text);
      expect(Object.keys(z.record(z.unknown()).parse(json))).toEqual(KEYS);
      return Line.parse(json);
    });
}

// Columns in another order, an extra column with quotes, commas and a line break, CRLF endings.
// Revenues have at most 2 decimals, so amounts are written with 2.
const AUDIENCE = [
  "customer_id,region,holdout,converted,revenue,note",
  'c1,EU,0,1,12.50,"first, VIP"',
  "c2,EU,0,0,0,",
  'c3,US,1,1,20,"said ""hi"""',
  "c4,EU,1,0,0,",
  "c5,US,0,1,50.00,",
  'c6,"APAC",0,1,7.5,"two',
  'lines"',
  "",
].join("\r\n");

describe("npm run cli -- lift", () => {
  it("works the whole audience out by hand", async () => {
    const { code, stdout, stderr } = await lift("--in", file("audience.csv", AUDIENCE));
    expect(code).toBe(0);
    expect(stderr).toEqual(["6 recipients in 1 group; bootstrap seed 1"]);
    const [line, ...more] = parseLines(stdout);
    expect(more).toEqual([]);
    // treated c1 c2 c5 c6: 3 of 4 converted, 70.00; control c3 c4: 1 of 2, 20.00. Wilson 3/4:
    // 0.30064 to 0.95441, 1/2: 0.09453 to 0.90547; 0.25 − √(0.44936² + 0.40547²) = −0.355250,
    // 0.25 + √(0.20441² + 0.40547²) = 0.704081. Revenue per recipient: 17.50 − 10.00 = 7.50
    expect(line).toMatchObject({
      group: "all",
      treated: { n: 4, conversions: 3, revenue: 70 },
      control: { n: 2, conversions: 1, revenue: 20 },
      conversion_lift: { estimate: 0.25, ci95: [-0.35525, 0.704081] },
      revenue_per_recipient_lift: { estimate: 7.5 },
    });
    expect(stdout).toContain('"revenue":70.00},"control"');
    // a resample's difference lies between 0 − 20.00 and 50.00 − 0
    const [lo, hi] = line?.revenue_per_recipient_lift.ci95 ?? [Number.NaN, Number.NaN];
    expect(-20 <= lo && lo <= 7.5 && 7.5 <= hi && hi <= 50).toBe(true);
    expect(stdout).toMatch(/"ci95":\[-?\d+\.\d\d,-?\d+\.\d\d\]\}\}\n$/);
  });

  it("works each group out by hand, sorted by name", async () => {
    const { code, stdout, stderr } = await lift(
      "--in",
      file("audience.csv", AUDIENCE),
      "--group-by",
      "region",
    );
    expect(code).toBe(0);
    expect(stderr).toEqual(["6 recipients in 3 groups of region; bootstrap seed 1"]);
    expect(stdout.split("\n")).toEqual([
      // no control: nothing to compare
      '{"group":"APAC","treated":{"n":1,"conversions":1,"revenue":7.50},"control":{"n":0,"conversions":0,"revenue":0.00},' +
        '"conversion_lift":{"estimate":null,"ci95":null},"revenue_per_recipient_lift":{"estimate":null,"ci95":null}}',
      // 1/2 against 0/1: Wilson 0.09453 to 0.90547 and 0 to 0.79345; 0.5 − √(0.40547² + 0.79345²) =
      // −0.391049, 0.5 + √0.40547² = 0.905469. Revenue: treated means of 0, 6.25 or 12.50 (¼, ½, ¼),
      // control 0, so the 2.5% and 97.5% points are 0 and 12.50
      '{"group":"EU","treated":{"n":2,"conversions":1,"revenue":12.50},"control":{"n":1,"conversions":0,"revenue":0.00},' +
        '"conversion_lift":{"estimate":0.5,"ci95":[-0.391049,0.905469]},"revenue_per_recipient_lift":{"estimate":6.25,"ci95":[0.00,12.50]}}',
      // 1/1 against 1/1: Wilson 0.20654 to 1 each, ±0.793451; revenue 50.00 − 20.00 in every resample
      '{"group":"US","treated":{"n":1,"conversions":1,"revenue":50.00},"control":{"n":1,"conversions":1,"revenue":20.00},' +
        '"conversion_lift":{"estimate":0,"ci95":[-0.793451,0.793451]},"revenue_per_recipient_lift":{"estimate":30.00,"ci95":[30.00,30.00]}}',
      "",
    ]);
    parseLines(stdout);
  });

  it("gives the same bytes for the same seed, others for another", async () => {
    const rows = Array.from(
      { length: 400 },
      (_, i) => `c${i},${i % 2},${i % 7 === 0 ? 1 : 0},${i % 7 === 0 ? `${i}.25` : "0"}`,
    );
    const path = file("many.csv", ["customer_id,holdout,converted,revenue", ...rows, ""].join("\n"));
    const first = await lift("--in", path, "--seed", "42");
    const again = await lift("--in", path, "--seed", "42");
    const other = await lift("--in", path, "--seed", "43");
    const byDefault = await lift("--in", path);
    const seedOne = await lift("--in", path, "--seed", "1");
    expect(first.stdout).toBe(again.stdout);
    expect(other.stdout).not.toBe(first.stdout);
    expect(byDefault.stdout).toBe(seedOne.stdout);
    const [line] = parseLines(first.stdout);
    expect(line?.treated).toEqual({ n: 200, conversions: 29, revenue: expect.any(Number) });
  });

  it("names the line and the column of bad input, exit 2 and nothing on standard output", async () => {
    const header = "customer_id,holdout,converted,revenue,region";
    const cases: [string, string, string[]][] = [
      [
        "missing.csv",
        "customer_id,holdout,revenue\nc1,0,0\n",
        [':1: missing column "converted" (the header needs customer_id, holdout, converted, revenue)'],
      ],
      ["holdout.csv", `${header}\nc1,0,0,0,EU\nc2,yes,0,0,EU\n`, [':3: column holdout: "yes" is not 0 or 1']],
      ["converted.csv", `${header}\nc1,0,2,0,EU\n`, [':2: column converted: "2" is not 0 or 1']],
      [
        "decimal.csv",
        `${header}\nc1,0,1,"12,50",EU\n`,
        [':2: column revenue: "12,50" is not a decimal amount like 12.50'],
      ],
      [
        "precise.csv",
        `${header}\nc1,0,1,1.23456,EU\n`,
        [':2: column revenue: "1.23456" has more than 4 decimals'],
      ],
      [
        "duplicate.csv",
        `${header}\nc1,0,1,5,EU\nc2,1,0,0,EU\n\nc1,1,0,0,US\n`,
        [':5: column customer_id: "c1" again (first on line 2)'],
      ],
      ["fields.csv", `${header}\nc1,0,1,5\n`, [":2: 4 fields where the header has 5"]],
      ["quote.csv", `${header}\nc1,0,1,5,"EU\n`, [":2: a quoted field is not closed by the end of the file"]],
      ["empty.csv", "", [":1: the file is empty: no header"]],
    ];
    for (const [name, text, messages] of cases) {
      const path = file(name, text);
      const { code, stdout, stderr } = await lift("--in", path);
      expect({ name, code, stdout, stderr }).toEqual({
        name,
        code: 2,
        stdout: "",
        stderr: messages.map((m) => `${path}${m}`),
      });
    }
    const path = file("good.csv", `${header}\nc1,0,1,5,EU\n`);
    expect(await lift("--in", path, "--group-by", "segment")).toEqual({
      code: 2,
      stdout: "",
      stderr: [
        `${path}:1: --group-by column "segment" is not in the header (its columns: customer_id, holdout, converted, revenue, region)`,
      ],
    });
    expect(await lift("--in", join(dir, "nowhere.csv"))).toEqual({
      code: 2,
      stdout: "",
      stderr: [`cannot read ${join(dir, "nowhere.csv")}: no such file`],
    });
  });

  it("prints its usage, and says what is wrong with the options", async () => {
    const help = await lift("--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: npm run cli -- lift --in FILE [--group-by COLUMN] [--seed N]");
    expect(await lift()).toEqual({
      code: 2,
      stdout: "",
      stderr: ["--in FILE is required\nRun with --help for usage."],
    });
    expect((await lift("--in", "a.csv", "--seed", "-3")).code).toBe(2);
  });

  it("runs through the command line's entry point", async () => {
    const tsx = join(process.cwd(), "node_modules/.bin/tsx");
    const path = file("entry.csv", AUDIENCE);
    const run = (...args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(tsx, ["app/cli/main.ts", ...args], (error, stdout, stderr) => {
          resolve({
            code: error && typeof error.code === "number" ? error.code : error ? -1 : 0,
            stdout,
            stderr,
          });
        });
      });
    const [ok, bad] = await Promise.all([
      run("lift", "--in", path, "--group-by", "region"),
      run("lift", "--in", path, "--group-by", "nope"),
    ]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe((await lift("--in", path, "--group-by", "region")).stdout);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${path}:1: --group-by column "nope" is not in the header`);
  }, 30_000);
});
