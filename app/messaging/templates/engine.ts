import { filters as builtinFilters, Liquid, type FilterImplOptions, type LiquidOptions } from "liquidjs";

// The two Liquid engines templates render with. Merchant-edited templates are untrusted input:
// strict (a typo is an error, not an empty string), no files, no clock, no randomness, and bounded
// in source size, time and allocation. Pure apart from liquidjs's own render-time check.

export const TEMPLATE_LIMITS = {
  /** characters of one template part */
  parse: 100_000,
  /** milliseconds one part may take to render */
  render: 250,
  /** liquidjs allocation units per render (a range (1..n) costs n, string filters their length) */
  memory: 1_000_000,
} as const;

const OPTIONS: LiquidOptions = {
  strictVariables: true,
  strictFilters: true,
  lenientIf: false,
  ownPropertyOnly: true,
  jsTruthy: false,
  // An empty in-memory file map: nothing on disk is reachable, and the file tags are removed below.
  templates: {},
  cache: false,
  locale: "en-US",
  parseLimit: TEMPLATE_LIMITS.parse,
  renderLimit: TEMPLATE_LIMITS.render,
  memoryLimit: TEMPLATE_LIMITS.memory,
};

type FilterHandler = Extract<FilterImplOptions, (...args: never[]) => unknown>;
type FilterThis = ThisParameterType<FilterHandler>;

function handler(impl: FilterImplOptions | undefined): FilterHandler {
  if (!impl) throw new Error("liquidjs lost a built-in filter");
  return typeof impl === "function" ? impl : impl.handler;
}
const builtinDate = handler(builtinFilters.date);

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/;
// Offsets, zone names and epoch seconds would be the server's, not the value's: it has none.
const ZONED = /%[-_0^#]?\d*:?[zZs]/;

/**
 * `date` for our ISO local values (event.date, deadline): they are wall-clock times, so they are
 * shown as written whatever the server's time zone (the built-in filter would shift them).
 * "now" is refused: a preview and the real send must render the same text.
 */
function date(this: FilterThis, value: unknown, format?: unknown): unknown {
  const m = typeof value === "string" ? LOCAL.exec(value) : null;
  if (!m) throw new Error("date: expects an ISO local date or date-time such as event.date or deadline");
  if (format !== undefined && format !== null && typeof format !== "string") throw new Error("date: the format must be text");
  if (typeof format === "string" && ZONED.test(format)) throw new Error("date: these values have no time zone (%z, %Z and %s are not available)");
  const [y, mo, d, h, mi, s] = m.slice(1).map((part) => Number(part ?? 0));
  // Built from local components and shown in local time: the same wall clock comes out.
  const local = new Date(2000, 0, 1, h ?? 0, mi ?? 0, s ?? 0);
  local.setFullYear(y ?? 2000, (mo ?? 1) - 1, d ?? 1); // (the constructor maps years 0–99 to 19xx)
  const fallback = m[4] === undefined ? "%B %-e, %Y" : "%B %-e, %Y, %-l:%M %P";
  return builtinDate.call(this, local, format ?? fallback);
}

const isDecimal = (v: unknown): v is `${number}` => typeof v === "string" && /^\d{1,15}(\.\d{1,4})?$/.test(v);

function money(this: FilterThis, value: unknown): string {
  if (!isDecimal(value)) {
    throw new Error("money: expects a decimal amount such as product.price");
  }
  const currency = this.context.getSync(["shop", "currencyCode"]);
  if (typeof currency !== "string") throw new Error("money: shop.currencyCode is missing");
  const locale = this.context.getSync(["customer", "locale"]);
  const format = (l: string) => new Intl.NumberFormat(l, { style: "currency", currency }).format(value);
  try {
    return format(typeof locale === "string" && locale ? locale : "en-US");
  } catch {
    // a locale tag Intl does not know: fall back rather than fail a whole send over formatting
    return format("en-US");
  }
}

function engine(escapeOutput: boolean): Liquid {
  const liquid = new Liquid({ ...OPTIONS, ...(escapeOutput ? { outputEscape: "escape" } : {}) });
  for (const tag of ["include", "render", "layout"]) delete liquid.tags[tag];
  liquid.unregisterFilter("sample"); // random
  liquid.registerFilter("date", date);
  liquid.registerFilter("money", money);
  if (escapeOutput) {
    // `{{ x | escape }}` (Shopify habit) is already escaped: marked raw so it is not escaped twice
    for (const f of ["escape", "escape_once"]) liquid.registerFilter(f, { handler: handler(builtinFilters[f]), raw: true });
  }
  return liquid;
}

/** HTML email bodies: every `{{ }}` output is HTML-escaped unless the template says `| raw`. */
export const htmlEngine = engine(true);
/** Subjects, text bodies and SMS: output as is. */
export const plainEngine = engine(false);
