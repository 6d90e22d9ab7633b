/** Thrown for amounts that cannot be represented exactly in the currency's minor units. */
export class MoneyError extends Error {
  override name = "MoneyError";
}

const exponents = new Map<string, number>();

/** Digits after the decimal point in the currency (USD 2, JPY 0, BHD 3), per ISO 4217 via Intl. */
export function currencyExponent(currencyCode: string): number {
  let exponent = exponents.get(currencyCode);
  if (exponent === undefined) {
    if (!/^[A-Z]{3}$/.test(currencyCode)) throw new MoneyError(`unknown currency code "${currencyCode}"`);
    exponent =
      new Intl.NumberFormat("en", { style: "currency", currency: currencyCode }).resolvedOptions()
        .maximumFractionDigits ?? 2;
    exponents.set(currencyCode, exponent);
  }
  return exponent;
}

const AMOUNT = /^(-?)(\d+)(?:\.(\d+))?$/;

/** "12.5" USD → 1250n. Exact decimal arithmetic: Shopify's decimal strings never touch a float. */
export function toMinorUnits(amount: string, currencyCode: string): bigint {
  const match = AMOUNT.exec(amount);
  if (!match) throw new MoneyError(`"${amount}" is not a decimal amount`);
  const [, sign, whole = "0", fraction = ""] = match;
  const exponent = currencyExponent(currencyCode);
  let significant = fraction.length;
  while (significant > 0 && fraction.charCodeAt(significant - 1) === 48) significant--; // trailing zeros
  if (significant > exponent) {
    throw new MoneyError(`"${amount}" has more decimals than ${currencyCode} allows (${exponent})`);
  }
  // one BigInt from the digits: "12" + "50" → 1250n
  return BigInt(`${sign}${whole}${fraction.slice(0, significant).padEnd(exponent, "0")}`);
}

/** 1250n USD → "12.50". */
export function formatMinorUnits(minor: bigint, currencyCode: string): string {
  const exponent = currencyExponent(currencyCode);
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(exponent + 1, "0");
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${negative ? "-" : ""}${whole}${exponent > 0 ? `.${fraction}` : ""}`;
}
