// The Cyber Week rehearsal: `npm run rehearse -- --scale 500 --minutes 3` replays a peak against the
// running app through signed webhooks, injects faults and writes <out>.json and <out>.html
// (test/rehearsal/*). Exits 1 when a check that must be zero is not, or the lateness target is
// missed. Options: --scale (webhooks/s), --minutes, --abandoned (0.2), --customers (10000), --seed,
// --mode scale|embedded, --workers (2), --outage-seconds (60), --no-faults, --out, --connections,
// --data-dir (the app's DATA_DIR, default data: the app's Rehearsals page lists the record there).
// Scale mode uses DATABASE_URL (postgresql://postgres@127.0.0.1:5432/test, a fresh schema) and
// REDIS_URL (redis://127.0.0.1:6379, a fresh prefix).

import { writeFileSync } from "node:fs";
import { saveRehearsal } from "../app/rehearsals/rehearsals.server";
import { renderReportHtml } from "../test/rehearsal/html";
import { parseRehearsalArgs } from "../test/rehearsal/options";
import { failedChecks } from "../test/rehearsal/report";
import { rehearse } from "../test/rehearsal/run";

const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

const parsed = parseRehearsalArgs(process.argv.slice(2));
if (!parsed.ok) {
  process.stderr.write(`rehearse: ${parsed.error}\n`);
  process.exit(2);
}
const options = parsed.options;
const command = `npm run rehearse -- ${process.argv.slice(2).join(" ")}`;
const doc = await rehearse(options, log);
writeFileSync(`${options.out}.json`, `${JSON.stringify({ command, ...doc }, null, 2)}\n`);
const { report, ...facts } = doc;
writeFileSync(
  `${options.out}.html`,
  renderReportHtml({ title: "Cyber Week rehearsal", command, date: doc.date, facts, report }),
);
const saved = await saveRehearsal(options.dataDir, { command, ...doc });
const failed = failedChecks(report);
log(`report: ${options.out}.json, ${options.out}.html; the app's Rehearsals page: ${saved}`);
log(
  `step lateness p50 ${report.stepLatenessMs.p50} ms, p99 ${report.stepLatenessMs.p99} ms; less the time a provider refused p50 ${report.stepLatenessOwnMs.p50} ms, p99 ${report.stepLatenessOwnMs.p99} ms (target ${report.target.met ? "met" : "not met"}); checks ${failed.length === 0 ? "all 0" : failed.join(", ")}`,
);
process.exit(failed.length === 0 && report.target.met ? 0 : 1);
