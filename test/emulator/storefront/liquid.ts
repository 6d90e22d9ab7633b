import { Drop, filters, Liquid, Tag, type Context, type Emitter, type Parser, type TagToken, type Template, type TopLevelToken } from "liquidjs";
import { formatMinor } from "../generator/money";
import { escapeHtml } from "./translate";

// Liquid as Shopify's storefront runs it, on liquidjs: Ruby truthiness, no auto-escaping, dates in
// the shop's zone with the emulator's clock for 'now', and the Shopify filters blocks use. An
// unknown filter is an error (a filter the emulator lacks must not print nothing silently).

export interface LiquidEnv {
  /** where {% render %} finds snippets */
  snippetsDir?: string;
  timeZone: string;
  now(): Date;
  currencyCode: string;
  translate(key: string, named: Record<string, unknown>): string;
  assetUrl(file: string): string;
}

/** A metafield in Liquid: `.value` (JSON parsed), `.type`; printing it prints its value. */
export class MetafieldDrop extends Drop {
  constructor(
    readonly value: unknown,
    readonly type: string,
  ) {
    super();
  }
  override valueOf(): unknown {
    return this.value;
  }
}

/** {% style %}…{% endstyle %}: Shopify's inline <style> that the theme editor can live-update. */
class StyleTag extends Tag {
  private readonly templates: Template[] = [];
  constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid, parser: Parser) {
    super(token, remain, liquid);
    const stream = parser
      .parseStream(remain)
      .on("tag:endstyle", () => stream.stop())
      .on("template", (t: Template) => this.templates.push(t))
      .on("end", () => {
        throw new Error(`tag ${token.getText()} not closed`);
      });
    stream.start();
  }
  *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
    emitter.write("<style data-shopify>");
    yield this.liquid.renderer.renderTemplates(this.templates, ctx, emitter);
    emitter.write("</style>");
  }
}

/** Named filter arguments (`t: name: value`) arrive as [name, value] pairs. */
function namedArgs(args: unknown[]): Record<string, unknown> {
  const named: Record<string, unknown> = {};
  for (const arg of args) if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === "string") named[arg[0]] = arg[1];
  return named;
}

const toCents = (v: unknown): number => (typeof v === "number" ? Math.round(v) : Number.parseInt(String(v ?? 0), 10) || 0);

export function createLiquid(env: LiquidEnv): Liquid {
  const liquid = new Liquid({
    root: env.snippetsDir ? [env.snippetsDir] : [],
    extname: ".liquid",
    strictFilters: true,
    ownPropertyOnly: true,
    timezoneOffset: env.timeZone,
    locale: "en-US",
    cache: false,
  });
  liquid.registerTag("style", StyleTag);
  liquid.registerFilter("t", (key: unknown, ...args: unknown[]) => env.translate(String(key), namedArgs(args)));
  liquid.registerFilter("asset_url", (file: unknown) => env.assetUrl(String(file)));
  const builtinDate = filters.date;
  if (typeof builtinDate !== "function") throw new Error("liquidjs has no date filter");
  liquid.registerFilter("date", function (this: unknown, v: unknown, ...rest: unknown[]) {
    const input = v === "now" || v === "today" ? env.now() : v;
    return Reflect.apply(builtinDate, this, [input, ...rest]);
  });
  // JSON safe inside <script>: <, > and & as \u escapes, like Shopify's
  liquid.registerFilter("json", (v: unknown) =>
    (JSON.stringify(v instanceof MetafieldDrop ? v.value : v) ?? "null").replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026"),
  );
  const symbol = env.currencyCode === "USD" ? "$" : env.currencyCode === "EUR" ? "€" : "";
  liquid.registerFilter("money", (v: unknown) => `${symbol}${formatMinor(toCents(v))}`);
  liquid.registerFilter("money_with_currency", (v: unknown) => `${symbol}${formatMinor(toCents(v))} ${env.currencyCode}`);
  liquid.registerFilter("money_without_currency", (v: unknown) => formatMinor(toCents(v)));
  liquid.registerFilter("stylesheet_tag", (url: unknown) => `<link href="${escapeHtml(String(url))}" rel="stylesheet" type="text/css" media="all" />`);
  liquid.registerFilter("script_tag", (url: unknown) => `<script src="${escapeHtml(String(url))}" type="text/javascript"></script>`);
  const handleize = (v: unknown) => String(v).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  liquid.registerFilter("handleize", handleize);
  liquid.registerFilter("handle", handleize);
  liquid.registerFilter("placeholder_svg_tag", (_name: unknown, cls?: unknown) =>
    `<svg class="${escapeHtml(String(cls ?? "placeholder-svg"))}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 525 525" aria-hidden="true"><rect width="525" height="525" fill="#e8e8e1"/></svg>`,
  );
  return liquid;
}
