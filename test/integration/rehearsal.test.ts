import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { RehearsalOptions } from "../rehearsal/options";
import { failedChecks } from "../rehearsal/report";
import { rehearse, type RehearsalDocument } from "../rehearsal/run";

// The Cyber Week rehearsal's checks, end to end at a small scale so they stay honest: the built app
// on PGlite with the database queue (the embedded mode), a few hundred signed webhooks (checkouts,
// a fifth abandoned, orders, consent changes, stock selling out), yesterday's checkouts due for
// their reminders, the app killed mid-run (SIGKILL) and restarted, the email and SMS providers
// refusing for 3 s. Nothing lost, sent twice, sent after an order, looped, sold out, early or at
// night; every flow message sent or skipped with a reason. The full-size run is `npm run rehearse`
// (docs/benchmarks.md), not part of `npm test`.

describe("Cyber Week rehearsal, small (PGlite, database queue)", () => {
  let doc: RehearsalDocument;
  beforeAll(async () => {
    const options = RehearsalOptions.parse({
      scale: 20,
      minutes: 0.25,
      customers: 300,
      mode: "embedded",
      outageSeconds: 3,
      settleSeconds: 10,
      connections: 8,
    });
    doc = await rehearse(options, () => undefined);
    // the whole report, to read when a check fails
    writeFileSync(join(tmpdir(), "rehearsal-test-report.json"), JSON.stringify(doc, null, 2));
  }, 170_000);

  it("holds every check and the lateness target", () => {
    const r = doc.report;
    expect(r.violations).toEqual([]);
    expect(failedChecks(r)).toEqual([]);
    expect(r.target.met).toBe(true);
    expect(r.webhooks.non200).toBe(0);
    expect(r.webhooks.answered).toBe(doc.profile.webhooks);
    expect(r.messages.byStatus.failed ?? 0).toBe(0);
    expect(r.messages.byStatus.sent).toBeGreaterThan(0);
    expect(r.stepLatenessMs.steps).toBeGreaterThan(0);
    expect(doc.faults.map((f) => f.fault)).toEqual([
      "worker killed (SIGKILL), another started",
      "email and SMS providers refuse",
    ]);
  });
});
