// One CSV cell for people who open the file in a spreadsheet. Pure.
//
// RFC 4180 quoting (a comma, quote or line break quotes the cell, quotes doubled), and formula
// neutralising: a spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return
// before one) as a formula, so such a cell gets a leading apostrophe and shows as the text it is
// (`=HYPERLINK(…)` in a customer's email address stays text). A plain decimal number — an optional
// minus, digits, an optional fraction — is written as it is, so negative amounts stay numbers.

const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?$/;
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | bigint | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  const safe = FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
