import { getEnv } from "../../env.server";
import { figureRows, verdict } from "../../rehearsals/figures";
import { listRehearsals } from "../../rehearsals/rehearsals.server";

/** The Rehearsals page: the chosen record (else the newest readable one) and the list of runs. */
export async function rehearsalsPage(params: URLSearchParams) {
  const entries = await listRehearsals(getEnv().DATA_DIR);
  const wanted = params.get("run");
  const chosen = entries.find((e) => e.file === wanted && e.ok) ?? entries.find((e) => e.ok) ?? null;
  const runs = entries.map((e) => {
    if (!e.ok) return { file: e.file, ok: false as const, problem: e.problem };
    const { headline, met } = verdict(e.record);
    return { file: e.file, ok: true as const, date: e.record.date, headline, met };
  });
  if (!chosen?.ok) return { runs, shown: null };
  const { record } = chosen;
  return {
    runs,
    shown: {
      file: chosen.file,
      date: record.date,
      command: record.command,
      machine: record.machine,
      options: record.options,
      profile: record.profile,
      timing: record.timing,
      faults: record.faults,
      verdict: verdict(record),
      figures: figureRows(record.report),
      webhooks: record.report.webhooks,
      messages: record.report.messages,
      checks: record.report.checks,
    },
  };
}

export type RehearsalsPage = Awaited<ReturnType<typeof rehearsalsPage>>;
export type ShownRehearsal = NonNullable<RehearsalsPage["shown"]>;
