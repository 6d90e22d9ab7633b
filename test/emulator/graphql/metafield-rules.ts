// Shopify's checks on one metafieldsSet input, as pure functions: namespace and key shape, a known
// type, and a value that type accepts. Each failure is a user error with a code of
// MetafieldsSetUserErrorCode and the input field it is about.

export type MetafieldErrorCode =
  | "APP_NOT_AUTHORIZED"
  | "BLANK"
  | "INVALID"
  | "INVALID_TYPE"
  | "INVALID_VALUE"
  | "LESS_THAN_OR_EQUAL_TO"
  | "STALE_OBJECT"
  | "TOO_LONG"
  | "TOO_SHORT";

export interface MetafieldProblem {
  field: "namespace" | "key" | "type" | "value" | "ownerId" | "compareDigest";
  message: string;
  code: MetafieldErrorCode;
}

export const MAX_METAFIELDS_PER_SET = 25;

const SCALAR_TYPES = [
  "boolean", "color", "date", "date_time", "dimension", "id", "json", "link", "money", "multi_line_text_field",
  "number_decimal", "number_integer", "rating", "rich_text_field", "single_line_text_field", "url", "volume", "weight",
  "article_reference", "collection_reference", "company_reference", "customer_reference", "file_reference",
  "metaobject_reference", "mixed_reference", "page_reference", "product_reference", "product_taxonomy_value_reference",
  "variant_reference",
];
const NOT_LISTABLE = new Set(["boolean", "json", "money", "multi_line_text_field", "rich_text_field", "id"]);
export const METAFIELD_TYPES: ReadonlySet<string> = new Set([
  ...SCALAR_TYPES,
  ...SCALAR_TYPES.filter((t) => !NOT_LISTABLE.has(t)).map((t) => `list.${t}`),
]);

function lengthProblem(field: "namespace" | "key", value: string, min: number, max: number): MetafieldProblem | undefined {
  const label = field === "namespace" ? "Namespace" : "Key";
  if (value.length < min) return { field, code: "TOO_SHORT", message: `${label} is too short (minimum is ${min} characters)` };
  if (value.length > max) return { field, code: "TOO_LONG", message: `${label} is too long (maximum is ${max} characters)` };
  if (!/^[a-zA-Z0-9_-]+$/.test(value)) return { field, code: "INVALID", message: `${label} contains one or more invalid characters.` };
  return undefined;
}

/** namespace: 3-255 of [a-zA-Z0-9_-], or the app-reserved "$app" / "$app:<suffix>"; key: 2-64. */
export function nameProblems(namespace: string, key: string): MetafieldProblem[] {
  const reserved = /^\$app(:.*)?$/.exec(namespace);
  const ns = reserved ? (reserved[1] ? lengthProblem("namespace", reserved[1].slice(1), 1, 200) : undefined) : lengthProblem("namespace", namespace, 3, 255);
  const k = lengthProblem("key", key, 2, 64);
  return [ns, k].filter((p): p is MetafieldProblem => p !== undefined);
}

function jsonProblem(value: string): string | undefined {
  try {
    JSON.parse(value);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Whether `value` is a valid value of `type` (types not listed here take any string). */
export function valueProblem(type: string, value: string): MetafieldProblem | undefined {
  const invalid = (message: string): MetafieldProblem => ({ field: "value", code: "INVALID_VALUE", message });
  if (type === "json" || type.startsWith("list.") || ["money", "rating", "dimension", "volume", "weight", "link", "rich_text_field"].includes(type)) {
    const problem = jsonProblem(value);
    if (problem) return invalid(`Value is invalid JSON: ${problem}.`);
    if (type.startsWith("list.") && !Array.isArray(JSON.parse(value))) return invalid("Value must be an array.");
    return undefined;
  }
  switch (type) {
    case "boolean":
      return value === "true" || value === "false" ? undefined : invalid("Value must be true or false.");
    case "number_integer":
      return /^[-+]?\d+$/.test(value) && Number.isSafeInteger(Number(value)) ? undefined : invalid("Value must be an integer.");
    case "number_decimal":
      return /^[-+]?\d+(\.\d+)?$/.test(value) ? undefined : invalid("Value must be a decimal.");
    case "single_line_text_field":
      return /[\r\n]/.test(value) ? invalid("Value must be a single line text string.") : undefined;
    case "date":
      return ISO_DATE.test(value) && !Number.isNaN(Date.parse(value)) ? undefined : invalid("Value must be in YYYY-MM-DD format.");
    case "date_time":
      return ISO_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)) ? undefined : invalid('Value must be in "YYYY-MM-DDTHH:MM:SS" format.');
    case "url":
      return /^(https?:\/\/[^\s]+|mailto:[^\s]+|sms:[^\s]+|tel:[^\s]+)$/.test(value) ? undefined : invalid("Value must be a valid URL.");
    case "color":
      return /^#[0-9a-fA-F]{6}$/.test(value) ? undefined : invalid("Value must be a hex color code (#RRGGBB).");
    default:
      return undefined;
  }
}

/** What Liquid and Metafield.jsonValue see: JSON types parsed, numbers and booleans typed. */
export function typedValue(type: string, value: string): unknown {
  if (type === "boolean") return value === "true";
  if (type === "number_integer") return Number(value);
  if (type === "json" || type.startsWith("list.") || ["money", "rating", "dimension", "volume", "weight", "link", "rich_text_field"].includes(type)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}
