// `tsx scripts/ci/report-test-modes.ts REPORT.json`: prints how many tests ran per database and queue
// mode in the vitest JSON report, and exits 1 when the run does not cover every mode.
import { readFileSync } from "node:fs";
import { countTestModes, formatTestModes, matrixGaps, VitestJsonReport } from "./test-modes";

const file = process.argv[2];
if (!file) {
  process.stderr.write("usage: tsx scripts/ci/report-test-modes.ts REPORT.json\n");
  process.exit(2);
}
let text: string;
try {
  text = readFileSync(file, "utf8");
} catch (error) {
  process.stderr.write(
    `CI: no test report at ${file} (${error instanceof Error ? error.message : String(error)})\n`,
  );
  process.exit(1);
}
let json: unknown;
try {
  json = JSON.parse(text);
} catch {
  process.stderr.write(`CI: the test report ${file} is not JSON\n`);
  process.exit(1);
}
const report = VitestJsonReport.safeParse(json);
if (!report.success) {
  process.stderr.write(
    `CI: the test report ${file} is not vitest's JSON report: ${report.error.issues[0]?.message ?? ""}\n`,
  );
  process.exit(1);
}
const counts = countTestModes(report.data);
const gaps = matrixGaps(counts);
for (const gap of gaps) process.stdout.write(`CI: the test matrix is incomplete: ${gap}\n`);
process.stdout.write(`${formatTestModes(counts)}\n`);
process.exit(gaps.length === 0 ? 0 : 1);
