// The `t` filter as Shopify runs it: the key in the current locale's file, else the default one;
// `{{ name }}` replaced by the filter's named arguments; `count` picks zero/one/other; the result
// HTML-escaped unless the key ends in `_html` (then only the interpolated values are).

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function dig(tree: unknown, key: string): unknown {
  let node = tree;
  for (const part of key.split(".")) {
    if (!isRecord(node)) return undefined;
    node = node[part];
  }
  return node;
}

/** "fr-CA" → ["fr-CA", "fr", default] */
function chain(locale: string, defaultLocale: string): string[] {
  const base = locale.split("-")[0] ?? locale;
  return [...new Set([locale, base, defaultLocale])];
}

export function translate(
  locales: Readonly<Record<string, unknown>>,
  defaultLocale: string,
  locale: string,
  key: string,
  named: Readonly<Record<string, unknown>>,
): string {
  let found: unknown;
  for (const code of chain(locale, defaultLocale)) {
    found = dig(locales[code], key);
    if (found !== undefined) break;
  }
  if (isRecord(found) && "count" in named) {
    const count = Number(named.count);
    found = (count === 0 ? found.zero : undefined) ?? (count === 1 ? found.one : found.other);
  }
  if (typeof found !== "string") return `translation missing: ${locale}.${key}`;
  const html = key.endsWith("_html");
  const text = found.replace(/\{\{\s*([\w-]+)\s*\}\}/g, (whole, name: string) => {
    if (!(name in named)) return whole;
    const value = String(named[name] ?? "");
    return html ? escapeHtml(value) : value;
  });
  return html ? text : escapeHtml(text);
}
