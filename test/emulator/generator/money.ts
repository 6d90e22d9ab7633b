import type { MoneyBag } from "./types";

/** Minor units to Shopify's Decimal string ("12.5", "12.0", "12.34"): exact, no floats. */
export function formatMinor(minor: number): string {
  if (!Number.isSafeInteger(minor)) throw new Error(`not an integer amount: ${minor}`);
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  const whole = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, "0");
  const frac = cents.endsWith("0") ? cents.slice(0, 1) : cents;
  return `${sign}${whole}.${frac}`;
}

/** Decimal string to minor units; rejects more than two fraction digits. */
export function parseMinor(amount: string): number {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount);
  if (!m) throw new Error(`not a money amount: ${amount}`);
  const minor = Number(m[2]) * 100 + Number((m[3] ?? "0").padEnd(2, "0"));
  return m[1] === "-" ? -minor : minor;
}

export function moneyBag(minor: number, currencyCode: string): MoneyBag {
  const money = { amount: formatMinor(minor), currencyCode };
  return { shopMoney: money, presentmentMoney: { ...money } };
}
