/** Whole numbers the way a merchant reads them ("10,000"), independent of the server's locale. */
export function formatCount(value: number, locale = "en-US"): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value);
}
