// The theme app extension against Shopify's limits and our budgets, plus Shopify's theme-check with
// its theme-app-extension config: `shopify app build` only prints lint errors, so this is what fails
// CI instead. `npm run check:extension [dir]` prints the figures and exits 1 on any problem.
// Kilobytes are 1,000 bytes, the stricter reading of Shopify's limits.
import { readdirSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { themeCheckRun } from "@shopify/theme-check-node";
import { parse as parseToml } from "smol-toml";
import { z } from "zod";

export const EXTENSION_DIR = "extensions/holiday-storefront";

export const LIMITS = {
  blockJavascriptGzip: 10_000,
  cssGzip: 20_000,
  liquid: 100_000,
  blocks: 30,
  localeFile: 15_000,
  total: 10_000_000,
  schemaName: 25,
} as const;

const ALLOWED: Record<string, readonly string[]> = {
  assets: [".js", ".css", ".json", ".png", ".jpg", ".jpeg", ".svg", ".wasm"],
  blocks: [".liquid"],
  snippets: [".liquid"],
  locales: [".json"],
};
const TARGETS = ["section", "head", "body", "compliance_head"] as const;
const THEME_CHECK_ERROR = 0;
const THEME_CHECK_WARNING = 1;

export type Figure = { what: string; file: string; value: number; limit: number; unit: string };
export type ExtensionReport = { figures: Figure[]; problems: string[]; warnings: string[] };

function addFigure(
  report: ExtensionReport,
  file: string,
  what: string,
  value: number,
  limit: number,
  unit = "bytes",
) {
  report.figures.push({ what, file, value, limit, unit });
}
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

const Toml = z.object({
  extensions: z
    .array(
      z.object({
        type: z.literal("theme"),
        name: z.string().min(1),
        handle: z.string().regex(/^[a-z0-9-]{1,30}$/),
      }),
    )
    .length(1),
});

const BlockSchema = z
  .object({
    name: z.string().min(1),
    target: z.enum(TARGETS),
    javascript: z.string().optional(),
    stylesheet: z.string().optional(),
    enabled_on: z.unknown().optional(),
    disabled_on: z.unknown().optional(),
  })
  .passthrough()
  .refine((s) => s.enabled_on === undefined || s.disabled_on === undefined, {
    message: "at most one of enabled_on and disabled_on",
  });
type BlockSchema = z.infer<typeof BlockSchema>;

const SCHEMA_TAG = /\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/;
const TRANSLATION = /['"]([\w.-]+)['"]\s*\|\s*t\b/g;

/** The translation keys a Liquid source uses literally (`'a.b' | t`). */
export function translationKeys(liquid: string): string[] {
  return [...new Set([...liquid.matchAll(TRANSLATION)].map((m) => m[1] ?? ""))];
}

const JsonObject = z.record(z.unknown());

/** The string at a dotted key of a locale file's object, if there is one. */
export function translation(locale: unknown, key: string): string | undefined {
  let node = locale;
  for (const part of key.split(".")) {
    const object = JsonObject.safeParse(node);
    node = object.success ? object.data[part] : undefined;
  }
  return typeof node === "string" ? node : undefined;
}

function listFiles(dir: string, prefix = ""): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(dir, rel) : [rel];
  });
}

const gzipped = (file: string) => gzipSync(readFileSync(file)).length;

/** A schema name as the merchant sees it in each schema locale (`t:` keys resolved). */
function schemaNames(name: string, schemaLocales: Map<string, unknown>): Map<string, string | undefined> {
  if (!name.startsWith("t:")) return new Map([["", name]]);
  const key = name.slice(2);
  return new Map([...schemaLocales].map(([file, json]) => [file, translation(json, key)]));
}

function checkBlock(dir: string, rel: string, schemaLocales: Map<string, unknown>, report: ExtensionReport) {
  const source = readFileSync(path.join(dir, rel), "utf8");
  const tag = SCHEMA_TAG.exec(source);
  if (!tag) return void report.problems.push(`${rel}: no {% schema %}`);
  let schema: BlockSchema;
  try {
    const parsed = BlockSchema.safeParse(JSON.parse(tag[1] ?? ""));
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "schema"}: ${i.message}`);
      return void report.problems.push(
        `${rel}: invalid schema (${issues.join("; ")}); targets: ${TARGETS.join(", ")}`,
      );
    }
    schema = parsed.data;
  } catch (error) {
    return void report.problems.push(`${rel}: schema is not JSON (${String(error)})`);
  }

  for (const [locale, name] of schemaNames(schema.name, schemaLocales)) {
    const where = locale ? ` in ${locale}` : "";
    if (name === undefined) report.problems.push(`${rel}: schema name ${schema.name} has no text${where}`);
    else addFigure(report, rel, `schema name${where}`, [...name].length, LIMITS.schemaName, "chars");
  }

  const scripts = new Set<string>(schema.javascript ? [schema.javascript] : []);
  const styles = new Set<string>(schema.stylesheet ? [schema.stylesheet] : []);
  for (const m of source.matchAll(/['"]([\w.-]+\.(js|css))['"]\s*\|\s*asset_url/g)) {
    (m[2] === "js" ? scripts : styles).add(m[1] ?? "");
  }
  let javascript = 0;
  for (const asset of [...scripts, ...styles]) {
    const file = path.join(dir, "assets", asset);
    if (!statSync(file, { throwIfNoEntry: false })?.isFile())
      report.problems.push(`${rel}: assets/${asset} does not exist`);
    else if (scripts.has(asset)) javascript += gzipped(file);
  }
  addFigure(report, rel, "JavaScript, gzipped", javascript, LIMITS.blockJavascriptGzip);
}

async function runThemeCheck(dir: string, report: ExtensionReport) {
  // theme-check fetches the latest Liquid docs from GitHub and falls back to the copy in its package;
  // a docs root that does not exist keeps the run offline and repeatable.
  const before = process.env.SHOPIFY_TLD_ROOT;
  process.env.SHOPIFY_TLD_ROOT = before ?? path.join(os.tmpdir(), "theme-liquid-docs-offline-none");
  try {
    const { offenses } = await themeCheckRun(path.resolve(dir), "theme-check:theme-app-extension");
    for (const offense of offenses) {
      const file = path.relative(path.resolve(dir), new URL(offense.uri).pathname);
      const line = `theme-check ${offense.check} ${file}:${offense.start.line}: ${offense.message}`;
      if (offense.severity === THEME_CHECK_ERROR) report.problems.push(line);
      else if (offense.severity === THEME_CHECK_WARNING) report.warnings.push(line);
    }
  } finally {
    if (before === undefined) delete process.env.SHOPIFY_TLD_ROOT;
  }
}

/** Every budget and rule for the extension in `dir`; `problems` is empty when it may ship. */
export async function checkExtension(dir: string = EXTENSION_DIR): Promise<ExtensionReport> {
  const report: ExtensionReport = { figures: [], problems: [], warnings: [] };
  const files = listFiles(dir);
  const size = (rel: string) => statSync(path.join(dir, rel)).size;
  const inFolder = (folder: string) => files.filter((f) => f.startsWith(`${folder}/`));

  for (const rel of files) {
    const [folder = "", ...rest] = rel.split("/");
    if (rel === "shopify.extension.toml") continue;
    const extensions = ALLOWED[folder];
    if (!extensions || rest.length !== 1 || !extensions.includes(path.extname(rel).toLowerCase())) {
      report.problems.push(
        `${rel}: not allowed (only shopify.extension.toml and ${Object.entries(ALLOWED)
          .map(([f, e]) => `${f}/*${e.join("|")}`)
          .join(", ")})`,
      );
    }
  }
  if (!files.includes("shopify.extension.toml")) report.problems.push("shopify.extension.toml: missing");
  else {
    const toml = Toml.safeParse(parseToml(readFileSync(path.join(dir, "shopify.extension.toml"), "utf8")));
    if (!toml.success)
      report.problems.push(
        `shopify.extension.toml: ${toml.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      );
  }

  const blocks = inFolder("blocks").filter((f) => f.endsWith(".liquid"));
  const liquid = files.filter((f) => /^(blocks|snippets)\/[^/]+\.liquid$/.test(f));
  const css = inFolder("assets").filter((f) => f.endsWith(".css"));
  const locales = inFolder("locales").filter((f) => f.endsWith(".json"));
  addFigure(report, dir, "files, all", sum(files.map(size)), LIMITS.total);
  addFigure(report, "blocks/ snippets/", "Liquid, all", sum(liquid.map(size)), LIMITS.liquid);
  addFigure(report, "blocks/", "blocks", blocks.length, LIMITS.blocks, "blocks");
  const cssGzip = sum(css.map((f) => gzipped(path.join(dir, f))));
  addFigure(report, "assets/*.css", "CSS, gzipped", cssGzip, LIMITS.cssGzip);
  for (const rel of locales) addFigure(report, rel, "locale file", size(rel), LIMITS.localeFile);

  const schemaLocales = new Map<string, unknown>();
  for (const rel of locales.filter((f) => f.endsWith(".schema.json"))) {
    try {
      schemaLocales.set(rel, JSON.parse(readFileSync(path.join(dir, rel), "utf8")));
    } catch (error) {
      report.problems.push(`${rel}: not JSON (${String(error)})`);
    }
  }
  for (const rel of blocks) checkBlock(dir, rel, schemaLocales, report);

  for (const f of report.figures) {
    if (f.value > f.limit)
      report.problems.push(`${f.file}: ${f.what} is ${f.value} ${f.unit}, over the limit of ${f.limit}`);
  }
  await runThemeCheck(dir, report);
  return report;
}

export function formatReport(report: ExtensionReport): string {
  const rows = report.figures.map((f) => [
    f.file,
    f.what,
    `${f.value} ${f.unit}`,
    `${f.limit}`,
    f.value <= f.limit ? "ok" : "OVER",
  ]);
  const table = [["file", "figure", "value", "limit", ""], ...rows];
  const widths = table[0]?.map((_, i) => Math.max(...table.map((r) => (r[i] ?? "").length))) ?? [];
  const lines = table.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd(),
  );
  const errors = report.problems.filter((p) => p.startsWith("theme-check ")).length;
  lines.push("", `theme-check (theme-app-extension): ${errors} errors, ${report.warnings.length} warnings`);
  for (const w of report.warnings) lines.push(`  warning: ${w}`);
  for (const p of report.problems) lines.push(`  PROBLEM: ${p}`);
  return lines.join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const report = await checkExtension(process.argv[2] ?? EXTENSION_DIR);
  console.log(formatReport(report));
  if (report.problems.length > 0) {
    console.error(`\n${report.problems.length} problem(s): the extension must not ship like this.`);
    process.exit(1);
  }
}
