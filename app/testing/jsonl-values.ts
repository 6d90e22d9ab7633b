import fc from "fast-check";
import { MARK, type Json, type Level } from "./jsonl-lines";

// Values of bulk-export lines for the byte readers' tests, each tagged with whether the readers'
// fast forms cover it: times, amounts, ids, any text, and whole order, line item and customer values.

export type Tagged = { text: string; fast: boolean };
const digits = (min: number, max: number): fc.Arbitrary<string> =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(""));
const pad = (n: number, width: number): string => String(n).padStart(width, "0");

/** YYYY-MM-DDTHH:MM:SS[.1–9 digits](Z|±HH:MM), a day up to 31 in any month (V8 rolls it over). */
export const isoTime: fc.Arbitrary<string> = fc
  .record({
    year: fc.oneof(fc.integer({ min: 1970, max: 2100 }), fc.integer({ min: 0, max: 9999 })),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.oneof(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 28, max: 31 })),
    time: fc.tuple(
      fc.integer({ min: 0, max: 23 }),
      fc.integer({ min: 0, max: 59 }),
      fc.integer({ min: 0, max: 59 }),
    ),
    fraction: fc.oneof(fc.constant(""), digits(1, 9)),
    zone: fc.oneof(
      fc.constantFrom("Z", "+05:30", "-08:00", "+00:00", "-00:00", "+14:00"),
      fc
        .tuple(fc.constantFrom("+", "-"), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
        .map(([sign, h, m]) => `${sign}${pad(h, 2)}:${pad(m, 2)}`),
    ),
  })
  .map(({ year, month, day, time: [h, m, s], fraction, zone }) => {
    const clock = `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${fraction === "" ? "" : "." + fraction}`;
    return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${clock}${zone}`;
  });

const breakTime: ((t: string) => string)[] = [
  (t) => t.replace(/^(\d{4})-\d\d/, "$1-13"),
  (t) => t.replace(/^(\d{4})-\d\d/, "$1-00"),
  (t) => t.replace(/^(\d{4}-\d\d)-\d\d/, "$1-32"),
  (t) => t.replace(/^(\d{4}-\d\d)-\d\d/, "$1-00"),
  (t) => t.replace(/T\d\d:\d\d:\d\d/, "T24:00:00"),
  (t) => t.replace(/T\d\d/, "T24"),
  (t) => t.replace(/T(\d\d):\d\d/, "T$1:60"),
  (t) => t.replace(/T(\d\d:\d\d):\d\d/, "T$1:60"),
  (t) => t.replace(/T(\d\d:\d\d:\d\d)(\.\d+)?/, "T$1."),
  (t) => t.replace(/T(\d\d:\d\d:\d\d)(\.\d+)?/, "T$1.1234567890"),
  (t) => t.replace(/T(\d\d:\d\d):\d\d(\.\d+)?/, "T$1"),
  (t) => t.replace(/(Z|[+-]\d\d:\d\d)$/, ""),
  (t) => t.replace(/(Z|[+-]\d\d:\d\d)$/, "+24:00"),
  (t) => t.replace(/(Z|[+-]\d\d:\d\d)$/, "+05:60"),
  (t) => t.replace(/(Z|[+-]\d\d:\d\d)$/, "+0530"),
  (t) => t.replace(/(Z|[+-]\d\d:\d\d)$/, "ZZ"),
  (t) => t.replace(/(Z|[+-]\d\d:\d\d)$/, " UTC"),
  (t) => t.toLowerCase(),
  (t) => t.replace("T", " "),
  (t) => "+0" + t,
  (t) => t.slice(1),
  (t) => ` ${t}`,
  (t) => `${t} `,
  (t) => t.slice(0, 10),
  (t) => t.slice(0, Math.max(0, t.length - 1)),
];

/** Times in the readers' fast form (fast) or near it: bad fields V8 refuses or rolls over, other forms V8 reads. */
export const time: fc.Arbitrary<Tagged> = fc.oneof(
  { weight: 12, arbitrary: isoTime.map((text) => ({ text, fast: true })) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(isoTime, fc.constantFrom(...breakTime))
      .map(([t, f]) => ({ text: f(t), fast: false })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom("", "not a date", "Fri, 29 Nov 2024 10:00:00 GMT", "November 29, 2024", "2024-11-29", "0")
      .map((text) => ({ text, fast: false })),
  },
);

/** Digits, an optional fraction with at most `exponent` significant digits, at most 15 digits with the exponent's. */
export function amountIsFast(text: string, exponent: number): boolean {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m?.[1]) return false;
  return m[1].length + exponent <= 15 && (m[2] ?? "").replace(/0+$/, "").length <= exponent;
}

/** Amounts as Shopify writes them, with 0–3 decimals and trailing zeros, negative, long, or not amounts at all. */
export function amount(exponent: number): fc.Arbitrary<Tagged> {
  const plain = fc
    .tuple(
      fc.oneof({ weight: 8, arbitrary: fc.nat(99_999).map(String) }, { weight: 1, arbitrary: digits(1, 22) }),
      fc.oneof(fc.constant(undefined), digits(0, 3)),
      fc.nat(2),
      fc.oneof({ weight: 9, arbitrary: fc.constant("") }, fc.constant("-")),
    )
    .map(([whole, fraction, zeros, sign]) => {
      const decimals = fraction === undefined ? "" : fraction.slice(0, exponent) + "0".repeat(zeros);
      return `${sign}${whole}${decimals === "" ? "" : "." + decimals}`;
    });
  const odd = fc.constantFrom(
    "",
    ".",
    ".5",
    "1.",
    "1e3",
    "+1",
    " 1",
    "1 ",
    "0x1F",
    "1,50",
    "١٢",
    "NaN",
    "1.2.3",
    "-0",
  );
  const any = fc.tuple(digits(1, 18), digits(0, 4)).map(([w, f]) => (f === "" ? w : `${w}.${f}`));
  return fc
    .oneof({ weight: 12, arbitrary: plain }, { weight: 2, arbitrary: any }, { weight: 1, arbitrary: odd })
    .map((text) => ({ text, fast: amountIsFast(text, exponent) }));
}

/** Ids of 1–20 digits, mostly Shopify's 13. */
export const idDigits: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 9_999_999 }).map((n) => String(7_100_000_000_000 + n)) },
  { weight: 2, arbitrary: digits(1, 20) },
  { weight: 1, arbitrary: fc.constantFrom("9007199254740991", "9007199254740992", "999999999999999", "0") },
);

/** 2 when the canonical path reads the id (1–15 digits), 1 when the general one does (16 safe digits). */
export function idLevel(digits: string): Level {
  if (digits.length <= 15) return 2;
  return digits.length === 16 && BigInt(digits) <= BigInt(Number.MAX_SAFE_INTEGER) ? 1 : 0;
}

/** Text of any kind, invalid UTF-8 included (MARK). */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.constantFrom(
    "a/b",
    "https://shop.example/p?utm_source=a%2Fb",
    'say "hi"\\',
    MARK,
    `x${MARK}y/`,
    "\u2028é",
  ),
);

export type Obj = { [key: string]: Json };
/** A line's value and the reader path that must read it (`Level`). */
export type Case = { value: Obj; level: Level };
export const lower = (a: Level, b: Level): Level => (a < b ? a : b);

/** An order of the shop in `currency`, its amounts in the shop's currency most of the time. */
export function orderValue(currency: string, exponent: number): fc.Arbitrary<Case> {
  return fc
    .record({
      id: idDigits,
      createdAt: time,
      updatedAt: fc.oneof(isoTime, anyText),
      cancelledAt: fc.option(time),
      test: fc.boolean(),
      customer: fc.option(idDigits),
      total: amount(exponent),
      discount: amount(exponent),
      code: fc.oneof(
        { weight: 9, arbitrary: fc.constant(currency) },
        { weight: 1, arbitrary: fc.constantFrom("USD", "EUR", "JPY", "BHD", "usd") },
      ),
      discountCodes: fc.array(anyText, { maxLength: 3 }),
      landingPageUrl: fc.option(anyText),
      journey: fc.boolean(),
    })
    .map((r) => {
      const money = (value: string): Obj => ({ shopMoney: { amount: value, currencyCode: r.code } });
      const value: Obj = {
        id: `gid://shopify/Order/${r.id}`,
        createdAt: r.createdAt.text,
        updatedAt: r.updatedAt,
        cancelledAt: r.cancelledAt?.text ?? null,
        test: r.test,
        customer: r.customer === null ? null : { id: `gid://shopify/Customer/${r.customer}` },
        currentTotalPriceSet: money(r.total.text),
        totalDiscountsSet: money(r.discount.text),
        discountCodes: r.discountCodes,
        landingPageUrl: r.landingPageUrl,
        customerJourneySummary: r.journey ? { firstVisit: null } : null,
      };
      const fast =
        r.createdAt.fast &&
        (r.cancelledAt?.fast ?? true) &&
        r.total.fast &&
        r.discount.fast &&
        r.code === currency;
      return { value, level: fast ? lower(idLevel(r.id), r.customer === null ? 2 : idLevel(r.customer)) : 0 };
    });
}

export const lineItemValue: fc.Arbitrary<Case> = fc
  .record({ id: idDigits, product: fc.option(idDigits), parent: idDigits })
  .map((r) => ({
    value: {
      id: `gid://shopify/LineItem/${r.id}`,
      product: r.product === null ? null : { id: `gid://shopify/Product/${r.product}` },
      __parentId: `gid://shopify/Order/${r.parent}`,
    },
    // any object with a __parentId is a child to the general path as to parseOrderFacts
    level: [r.id, r.product ?? "", r.parent].every((d) => d.length <= 15) ? 2 : 1,
  }));

const code = (codes: string[]): fc.Arbitrary<string | null> =>
  fc.option(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...codes) }, anyText));
const consent = fc.option(
  fc.record({
    marketingState: fc.oneof(
      fc.constantFrom("SUBSCRIBED", "NOT_SUBSCRIBED", "UNSUBSCRIBED", "PENDING"),
      anyText,
    ),
    marketingOptInLevel: fc.option(fc.constantFrom("SINGLE_OPT_IN", "CONFIRMED_OPT_IN", "UNKNOWN")),
    consentUpdatedAt: fc.option(isoTime),
  }),
);

export const customerValue: fc.Arbitrary<Case> = fc
  .record({
    id: idDigits,
    firstName: fc.option(anyText),
    lastName: fc.option(anyText),
    email: fc.option(fc.oneof(fc.emailAddress(), anyText)),
    phone: code(["+15555550100", "+44 20 7946 0958"]),
    createdAt: isoTime,
    updatedAt: fc.oneof(isoTime, anyText),
    locale: code(["en", "fr-CA"]),
    tags: fc.array(anyText, { maxLength: 3 }),
    emailMarketingConsent: consent,
    smsMarketingConsent: consent,
    defaultAddress: fc.option(
      fc.record({
        countryCodeV2: code(["US", "DE", "JP"]),
        provinceCode: code(["NY", "BY", "13"]),
        timeZone: code(["America/New_York", "Europe/Berlin", "Asia/Tokyo"]),
      }),
    ),
    statistics: fc.option(fc.record({ rfmGroup: code(["CHAMPIONS", "DORMANT"]) })),
  })
  .map((r) => ({ value: { ...r, id: `gid://shopify/Customer/${r.id}` }, level: idLevel(r.id) }));
