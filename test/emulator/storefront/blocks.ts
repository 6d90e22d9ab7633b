import { createHash } from "node:crypto";
import { join } from "node:path";
import { createLiquid } from "./liquid";
import { blockSettings, type ExtensionBlock, type ThemeExtension } from "./extension";
import { appObject, liquidGlobals, type PageRequest } from "./objects";
import { escapeHtml, translate } from "./translate";

// A theme app extension's blocks on one page, as Shopify places them: app embeds (target head or
// body) in the layout when enabled, app blocks (target section) in a section of the home page,
// each with its settings (schema defaults, then the merchant's), and the schema's javascript
// (deferred) and stylesheet in <head>.

export interface BlockState {
  settings(block: string): Readonly<Record<string, unknown>> | undefined;
  embedEnabled(block: string): boolean;
}

export interface RenderedBlocks {
  /** <link>/<script> tags of the blocks on the page, for <head> */
  headTags: string[];
  head: string[];
  body: string[];
  /** app blocks, in file order, for the page's app section */
  section: string[];
}

export function assetPath(domain: string, handle: string, file: string): string {
  return `/s/${domain}/extensions/${handle}/assets/${encodeURIComponent(file)}`;
}

function blockId(handle: string, name: string): string {
  return `A${createHash("sha256").update(`${handle}/${name}`).digest("base64url").slice(0, 14)}__${name.replace(/-/g, "_")}`;
}

function templateAllows(block: ExtensionBlock, template: string): boolean {
  const matches = (list: readonly string[] | undefined) => list?.some((t) => t === "*" || t === template) ?? false;
  if (block.schema.enabled_on) return matches(block.schema.enabled_on.templates);
  if (block.schema.disabled_on) return !matches(block.schema.disabled_on.templates);
  return true;
}

export async function renderBlocks(extension: ThemeExtension, page: PageRequest, state: BlockState, template: string, log: (line: string) => void): Promise<RenderedBlocks> {
  const { store } = page;
  const asset = (file: string) => assetPath(store.domain, extension.handle, file);
  const liquid = createLiquid({
    snippetsDir: join(extension.dir, "snippets"),
    timeZone: store.ianaTimezone,
    now: () => page.now,
    currencyCode: store.currencyCode,
    translate: (key, named) => translate(extension.locales, extension.defaultLocale, page.locale, key, named),
    assetUrl: asset,
  });
  const globals = { ...liquidGlobals(page), app: appObject(store) };
  const out: RenderedBlocks = { headTags: [], head: [], body: [], section: [] };
  for (const block of extension.blocks) {
    const { schema } = block;
    const embed = schema.target !== "section";
    if (embed ? !state.embedEnabled(block.name) : template !== "index") continue;
    if (!templateAllows(block, template)) continue;
    if (schema.available_if && (await liquid.parseAndRender(schema.available_if, {}, { globals })).trim() !== "true") continue;
    const id = blockId(extension.handle, block.name);
    const scope = { block: { id, type: `shopify://apps/${extension.handle}/blocks/${block.name}`, settings: blockSettings(schema, state.settings(block.name)), shopify_attributes: "" } };
    let html: string;
    try {
      html = await liquid.parseAndRender(block.liquid, scope, { globals });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`storefront: Liquid error in blocks/${block.name}.liquid: ${message}`);
      html = escapeHtml(`Liquid error (blocks/${block.name}.liquid): ${message}`);
    }
    const tag = schema.tag === null ? null : (schema.tag ?? "div");
    const classes = ["shopify-block", "shopify-app-block", ...(schema.class ? [schema.class] : [])].join(" ");
    const wrapped = tag === null ? html : `<${tag} id="shopify-block-${id}" class="${escapeHtml(classes)}">${html}</${tag}>`;
    if (schema.target === "section") out.section.push(wrapped);
    else if (schema.target === "body") out.body.push(wrapped);
    else out.head.push(html);
    if (schema.stylesheet) out.headTags.push(`<link rel="stylesheet" href="${escapeHtml(asset(schema.stylesheet))}" media="all">`);
    if (schema.javascript) out.headTags.push(`<script src="${escapeHtml(asset(schema.javascript))}" defer></script>`);
  }
  out.headTags = [...new Set(out.headTags)];
  return out;
}
