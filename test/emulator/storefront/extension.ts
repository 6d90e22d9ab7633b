import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { z } from "zod";

// A theme app extension as Shopify reads it from disk: blocks/*.liquid with their {% schema %},
// snippets/, assets/ and locales/. Read on every page so edits show without a restart.

const Setting = z.object({ type: z.string(), id: z.string().optional(), default: z.unknown().optional() }).passthrough();
const Templates = z.object({ templates: z.array(z.string()).optional() }).passthrough();
export const BlockSchema = z
  .object({
    name: z.string(),
    target: z.enum(["section", "head", "body", "compliance_head"]),
    settings: z.array(Setting).default([]),
    javascript: z.string().optional(),
    stylesheet: z.string().optional(),
    enabled_on: Templates.optional(),
    disabled_on: Templates.optional(),
    available_if: z.string().optional(),
    class: z.string().optional(),
    tag: z.string().nullable().optional(),
  })
  .passthrough();
export type BlockSchema = z.infer<typeof BlockSchema>;

export interface ExtensionBlock {
  /** the file name without .liquid: what setBlockSettings and setEmbedEnabled name */
  name: string;
  /** the Liquid without its {% schema %} */
  liquid: string;
  schema: BlockSchema;
}

export interface ThemeExtension {
  dir: string;
  /** the folder name, as asset URLs carry it */
  handle: string;
  blocks: ExtensionBlock[];
  /** locale code ("en", "fr") → translations; `defaultLocale` names the *.default.json one */
  locales: Record<string, unknown>;
  defaultLocale: string;
}

const SCHEMA = /\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/;

export function loadExtension(dir: string): ThemeExtension {
  const blocksDir = join(dir, "blocks");
  const blocks = (existsSync(blocksDir) ? readdirSync(blocksDir) : [])
    .filter((f) => f.endsWith(".liquid"))
    .sort()
    .map((file) => {
      const source = readFileSync(join(blocksDir, file), "utf8");
      const match = SCHEMA.exec(source);
      if (!match?.[1]) throw new Error(`${file}: no {% schema %}`);
      const schema = BlockSchema.safeParse(JSON.parse(match[1]));
      if (!schema.success) throw new Error(`${file}: invalid schema: ${schema.error.message}`);
      return { name: basename(file, ".liquid"), liquid: source.replace(SCHEMA, ""), schema: schema.data };
    });
  const localesDir = join(dir, "locales");
  const locales: Record<string, unknown> = {};
  let defaultLocale = "en";
  for (const file of existsSync(localesDir) ? readdirSync(localesDir) : []) {
    // *.schema.json translate the editor's labels, not shopper text
    const m = /^([a-zA-Z-]+?)(\.default)?\.json$/.exec(file);
    if (!m?.[1]) continue;
    locales[m[1]] = JSON.parse(readFileSync(join(localesDir, file), "utf8"));
    if (m[2]) defaultLocale = m[1];
  }
  return { dir, handle: basename(dir), blocks, locales, defaultLocale };
}

/** The block's settings: its schema's defaults, then what was set through the emulator. */
export function blockSettings(schema: BlockSchema, set: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const s of schema.settings) {
    if (!s.id) continue;
    settings[s.id] = s.default !== undefined ? s.default : s.type === "checkbox" ? false : null;
  }
  return { ...settings, ...set };
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".wasm": "application/wasm",
};

/** An asset's bytes and content type; undefined: no such asset (or a type extensions may not ship). */
export function readAsset(extension: ThemeExtension, file: string): { body: Buffer; contentType: string } | undefined {
  if (!/^[\w.-]+$/.test(file) || file.startsWith(".")) return undefined;
  const type = CONTENT_TYPES[file.slice(file.lastIndexOf(".")).toLowerCase()];
  const path = join(extension.dir, "assets", file);
  if (!type || !existsSync(path)) return undefined;
  return { body: readFileSync(path), contentType: type };
}
