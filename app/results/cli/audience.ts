// The audience CSV of `lift`: its header and its rows. Pure. Amounts are read as exact decimals
// into integers of 1/10,000 (the most decimals accepted), never through a float.

export const REQUIRED_COLUMNS = ["customer_id", "holdout", "converted", "revenue"] as const;

/** Revenues are integers of 10^-AMOUNT_DECIMALS. */
export const AMOUNT_DECIMALS = 4;

export interface AudienceColumns {
  customerId: number;
  holdout: number;
  converted: number;
  revenue: number;
  groupBy: number | null;
  width: number;
}

export interface Recipient {
  customerId: string;
  holdout: boolean;
  converted: boolean;
  /** In 10^-4 units. */
  revenue: number;
  /** Decimals as written: "12.50" has 2. */
  decimals: number;
  group: string | null;
}

/** The header's column positions, or what is wrong with it. */
export function parseHeader(fields: readonly string[], groupBy: string | null): AudienceColumns | string {
  const names = [...fields];
  if (names[0]?.startsWith("\uFEFF")) names[0] = names[0].slice(1);
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) return `column ${JSON.stringify(name)} appears twice in the header`;
    seen.add(name);
  }
  const missing = REQUIRED_COLUMNS.filter((name) => !seen.has(name));
  if (missing.length > 0) {
    const list = missing.map((name) => JSON.stringify(name)).join(", ");
    return `missing column${missing.length > 1 ? "s" : ""} ${list} (the header needs ${REQUIRED_COLUMNS.join(", ")})`;
  }
  if (groupBy !== null && !seen.has(groupBy)) {
    return `--group-by column ${JSON.stringify(groupBy)} is not in the header (its columns: ${names.join(", ")})`;
  }
  return {
    customerId: names.indexOf("customer_id"),
    holdout: names.indexOf("holdout"),
    converted: names.indexOf("converted"),
    revenue: names.indexOf("revenue"),
    groupBy: groupBy === null ? null : names.indexOf(groupBy),
    width: names.length,
  };
}

const AMOUNT = /^(-?)(\d+)(?:\.(\d+))?$/;

/** "12.50" → 125000 (10^-4 units) and 2 decimals; or what is wrong with the text. */
export function parseAmount(text: string): { units: number; decimals: number } | string {
  const match = AMOUNT.exec(text);
  if (!match) return `${JSON.stringify(text)} is not a decimal amount like 12.50`;
  const [, sign = "", whole = "0", fraction = ""] = match;
  if (fraction.length > AMOUNT_DECIMALS)
    return `${JSON.stringify(text)} has more than ${AMOUNT_DECIMALS} decimals`;
  const units = BigInt(`${sign}${whole}${fraction.padEnd(AMOUNT_DECIMALS, "0")}`);
  const limit = BigInt(Number.MAX_SAFE_INTEGER);
  if (units > limit || units < -limit) return `${JSON.stringify(text)} is too large`;
  return { units: Number(units), decimals: fraction.length };
}

function flag(text: string): boolean | null {
  return text === "1" ? true : text === "0" ? false : null;
}

/** One row as a recipient, or "column NAME: reason". */
export function parseRecipient(fields: readonly string[], columns: AudienceColumns): Recipient | string {
  if (fields.length !== columns.width) {
    return `${fields.length} field${fields.length === 1 ? "" : "s"} where the header has ${columns.width}`;
  }
  const cell = (index: number) => fields[index] ?? "";
  const customerId = cell(columns.customerId);
  if (customerId === "") return "column customer_id: empty";
  const holdout = flag(cell(columns.holdout));
  if (holdout === null) return `column holdout: ${JSON.stringify(cell(columns.holdout))} is not 0 or 1`;
  const converted = flag(cell(columns.converted));
  if (converted === null) return `column converted: ${JSON.stringify(cell(columns.converted))} is not 0 or 1`;
  const amount = parseAmount(cell(columns.revenue));
  if (typeof amount === "string") return `column revenue: ${amount}`;
  return {
    customerId,
    holdout,
    converted,
    revenue: amount.units,
    decimals: amount.decimals,
    group: columns.groupBy === null ? null : cell(columns.groupBy),
  };
}
