// Numbers as a person types them into a form field or a command-line flag. `Number()` reads "0x1",
// "1e1", " 1", "+1" and "01" as numbers; a merchant who typed them meant something else, so they
// are refused rather than guessed at. A whole number is digits only; a decimal may add a fraction.

const WHOLE = /^(0|[1-9]\d*)$/;
const DECIMAL = /^(0|[1-9]\d*)(\.\d+)?$/;

export type NumberKind = "whole" | "decimal";

/** The number the text spells, or null when it is not written as plain digits of that kind. */
export function readNumberText(text: string, kind: NumberKind): number | null {
  const pattern = kind === "whole" ? WHOLE : DECIMAL;
  return pattern.test(text) ? Number(text) : null;
}
