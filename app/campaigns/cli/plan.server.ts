import { readFile } from "node:fs/promises";
import type { Writable } from "node:stream";
import { describeFileError, firstUnreadable } from "../../segments/cli/input-file.server";
import { unwritable, writeOutput } from "../../segments/cli/output.server";
import { readStore, StrictStop, type ReadStore } from "../../segments/cli/read-store.server";
import { EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE } from "../../segments/cli/segments.server";
import { slotsByPrintedId } from "../../segments/cli/table";
import { DEFAULT_THRESHOLDS, SEGMENTS } from "../../segments/rules";
import { chooseTimeZone, DEFAULT_AUDIENCE_SETTINGS, holdoutCutoff } from "../audience";
import type { SeasonCalendar } from "../calendar/events";
import { InvalidSettingsError } from "../calendar/issues";
import { seasonCalendar } from "../calendar/season";
import { checkSeason, nextSeasonYear, playbookDrafts, shopToday } from "../playbooks";
import type { PlanOptions } from "./args";
import { AudienceTable } from "./audience-table";
import { campaignSends, CustomerPlanner, outputOrder } from "./campaigns";
import { formatPlanRow, PLAN_CSV_HEADER } from "./csv";
import { parseSettingsJson, parseShopJson, type Parsed } from "./inputs";
import { segmentIndex, segmentsOf } from "./score";
import { PlanSummary } from "./summary";

// `plan`: reads the shop and settings, streams the store (read.server), scores the segments, then
// writes the plan campaign by campaign, customer by customer: only the tables and one chunk of CSV
// lines are held, never the plan.

const CUSTOMER_PREFIX = "gid://shopify/Customer/";

export interface PlanIo {
  stderr(line: string): void;
  stdout: Writable;
}

async function readJsonFile<T>(
  file: string,
  parse: (text: string) => Parsed<T>,
  io: PlanIo,
): Promise<T | null> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    io.stderr(`cannot read ${file}: ${describeFileError(error)}`);
    return null;
  }
  const parsed = parse(text);
  if (parsed.ok) return parsed.value;
  for (const error of parsed.errors) io.stderr(`${file}: ${error}`);
  return null;
}

/** "segments: vip 120, …, regular 300 (no campaign)" */
function segmentLine(segments: Uint8Array, planned: ReadonlySet<string>): string {
  const counts = new Array<number>(SEGMENTS.length).fill(0);
  for (const code of segments) counts[code] = (counts[code] ?? 0) + 1;
  return `segments: ${SEGMENTS.map((s, i) => `${s} ${counts[i] ?? 0}${planned.has(s) ? "" : " (no campaign)"}`).join(", ")}`;
}

/** "12 customers in their own zone, 3 in the shop's (2 without a zone, 1 with an invalid one)" */
function zoneLine(audience: AudienceTable, shopTimeZone: string): string {
  const perZone = new Map<number, number>();
  for (let i = 0; i < audience.size; i++) {
    const code = audience.zone[i] ?? 0;
    perZone.set(code, (perZone.get(code) ?? 0) + 1);
  }
  const counts = { own: 0, customer_zone_missing: 0, customer_zone_invalid: 0, shop_zone_invalid: 0 };
  for (const [code, n] of perZone)
    counts[chooseTimeZone(audience.zones.value(code), shopTimeZone).timeZoneFallback ?? "own"] += n;
  const shop = counts.customer_zone_missing + counts.customer_zone_invalid;
  return `time zones: ${counts.own} customers in their own, ${shop} in the shop's ${shopTimeZone} (${counts.customer_zone_missing} without a zone, ${counts.customer_zone_invalid} with an invalid one)`;
}

export async function runPlan(options: PlanOptions, io: PlanIo): Promise<number> {
  const problem =
    (await firstUnreadable([options.customers, options.orders])) ?? (await unwritable(options.out));
  if (problem) {
    io.stderr(problem);
    return EXIT_USAGE;
  }
  const shop = await readJsonFile(options.shop, parseShopJson, io);
  if (!shop) return EXIT_USAGE;
  const settingsFile =
    options.settings === null ? null : await readJsonFile(options.settings, parseSettingsJson, io);
  if (options.settings !== null && !settingsFile) return EXIT_USAGE;

  // --as-of is the CLI's clock: the season is the next one not over then, on the shop's calendar.
  const today = shopToday({ now: options.asOf, timeZone: shop.ianaTimezone });
  const shipping = settingsFile?.shipping;
  let calendar: SeasonCalendar;
  try {
    const year = options.year ?? nextSeasonYear(options.playbook, today, shipping);
    const season = checkSeason(options.playbook, year, today, shipping);
    if (season.ended) {
      io.stderr(`${season.message} (as of ${options.asOf.toISOString()})`);
      return EXIT_USAGE;
    }
    calendar = seasonCalendar({ year, countryCode: shop.countryCode, shipping });
  } catch (error) {
    if (!(error instanceof InvalidSettingsError)) throw error;
    io.stderr(error.message);
    return EXIT_USAGE;
  }
  for (const note of calendar.notes) io.stderr(`note: ${note}`);
  const sends = campaignSends(playbookDrafts(options.playbook, calendar));

  const audience = new AudienceTable();
  let store: ReadStore;
  try {
    store = await readStore({ ...options, currency: shop.currencyCode }, io.stderr, (customer) =>
      audience.push(customer),
    );
  } catch (error) {
    if (error instanceof StrictStop) return EXIT_BAD_INPUT;
    throw error;
  }
  const { table, counters } = store;
  const segments = segmentsOf(table, options.asOf, DEFAULT_THRESHOLDS);
  const order = slotsByPrintedId(table);
  const holdoutShare = settingsFile?.holdoutShareGiven ? settingsFile.settings.holdoutShare : null;
  const holdoutCutoffs = new Map<string, number>();
  for (const send of sends) {
    if (holdoutCutoffs.has(send.draftKey)) continue;
    const code = segmentIndex(send.segment);
    const ids: string[] = [];
    for (const slot of order)
      if (segments[slot] === code) ids.push(`${CUSTOMER_PREFIX}${table.ids[slot] ?? 0}`);
    holdoutCutoffs.set(send.draftKey, holdoutCutoff(send.draftKey, ids, holdoutShare ?? send.holdoutShare));
  }
  const planner = new CustomerPlanner(sends, {
    shopTimeZone: shop.ianaTimezone,
    now: options.asOf,
    settings: settingsFile?.settings ?? DEFAULT_AUDIENCE_SETTINGS,
    holdoutShare,
    holdoutCutoffs,
  });
  const summary = new PlanSummary();

  function* rows(): Generator<string> {
    for (const campaign of outputOrder(sends)) {
      const code = segmentIndex(campaign.segment);
      for (const slot of order) {
        if (segments[slot] !== code) continue;
        const customer = audience.customer(
          slot,
          `${CUSTOMER_PREFIX}${table.ids[slot] ?? 0}`,
          campaign.segment,
        );
        const planned = planner.rowsFor(campaign, customer);
        summary.add(campaign.value, planned);
        for (const row of planned) yield formatPlanRow(row);
      }
    }
  }
  await writeOutput(options.out, io.stdout, PLAN_CSV_HEADER, rows());

  io.stderr(
    `${counters.customers} customers, ${counters.orders} orders read (${counters.counted} counted` +
      `${counters.unknownCustomer > 0 ? `, ${counters.unknownCustomer} counted orders of customers not in ${options.customers} ignored` : ""})` +
      `; segments as of ${options.asOf.toISOString()}`,
  );
  const skipped = counters.badLines.customers + counters.badLines.orders;
  if (skipped > 0) {
    io.stderr(
      `${skipped} bad lines skipped (${counters.badLines.customers} in ${options.customers}, ${counters.badLines.orders} in ${options.orders})`,
    );
  }
  io.stderr(segmentLine(segments, new Set(sends.map((s) => s.segment))));
  io.stderr(zoneLine(audience, shop.ianaTimezone));
  io.stderr(
    `${options.playbook} ${calendar.year} (${shop.countryCode ?? "no country"}): ${sends.length} campaign sends, ${summary.rows} rows`,
  );
  for (const line of summary.lines()) io.stderr(line);
  return EXIT_OK;
}
