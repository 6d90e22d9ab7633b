import { z } from "zod";

// The primary segment of a customer: the first rule of the list that matches (issue 4). Pure.

export const SEGMENTS = ["prospect", "lapsed", "vip", "price_sensitive", "recent", "regular"] as const;
export type Segment = (typeof SEGMENTS)[number];

export const isSegment = (value: string): value is Segment => SEGMENTS.some((s) => s === value);

/** The per-shop numbers of the rules, without the cross-field check (for forms that need the shape). */
export const SegmentThresholdFields = z.object({
  lapsedAfterDays: z
    .number({ invalid_type_error: "Lapsed after (days) must be a number" })
    .int("Lapsed after (days) must be a whole number of days")
    .min(1, "Lapsed after (days) must be at least 1")
    .max(3650, "Lapsed after (days) must be at most 3650 (10 years)")
    .default(180),
  vipMinF: z
    .number({ invalid_type_error: "VIP minimum F score must be a number" })
    .int("VIP minimum F score must be a whole number from 1 to 5")
    .min(1, "VIP minimum F score must be from 1 to 5")
    .max(5, "VIP minimum F score must be from 1 to 5")
    .default(4),
  vipMinM: z
    .number({ invalid_type_error: "VIP minimum M score must be a number" })
    .int("VIP minimum M score must be a whole number from 1 to 5")
    .min(1, "VIP minimum M score must be from 1 to 5")
    .max(5, "VIP minimum M score must be from 1 to 5")
    .default(4),
  vipMinOrders: z
    .number({ invalid_type_error: "VIP minimum orders must be a number" })
    .int("VIP minimum orders must be a whole number")
    .min(1, "VIP minimum orders must be at least 1")
    .max(1000, "VIP minimum orders must be at most 1000")
    .default(2),
  priceSensitiveShare: z
    .number({ invalid_type_error: "Price-sensitive discount share must be a number" })
    .min(0, "Price-sensitive discount share must be from 0 to 1 (e.g. 0.5 for half the orders)")
    .max(1, "Price-sensitive discount share must be from 0 to 1 (e.g. 0.5 for half the orders)")
    .default(0.5),
  recentWithinDays: z
    .number({ invalid_type_error: "Recent within (days) must be a number" })
    .int("Recent within (days) must be a whole number of days")
    .min(0, "Recent within (days) must be 0 or more")
    .max(3650, "Recent within (days) must be at most 3650 (10 years)")
    .default(30),
});

export const SegmentThresholds = SegmentThresholdFields.superRefine((t, ctx) => {
  // Otherwise a customer could be both "recent" and "lapsed" in the merchant's reading. Only said
  // when both numbers are valid on their own, so a typo gets one message, not two.
  const valid = (key: "lapsedAfterDays" | "recentWithinDays") =>
    SegmentThresholdFields.shape[key].safeParse(t[key]).success;
  if (valid("lapsedAfterDays") && valid("recentWithinDays") && t.recentWithinDays >= t.lapsedAfterDays) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ["recentWithinDays"],
      message: `Recent within (days) (${t.recentWithinDays}) must be less than Lapsed after (days) (${t.lapsedAfterDays})`,
    });
  }
});
export type SegmentThresholds = z.infer<typeof SegmentThresholds>;

export const DEFAULT_THRESHOLDS: SegmentThresholds = Object.freeze(SegmentThresholds.parse({}));

export interface SegmentInput {
  frequency: number;
  /** null when there is no counted order */
  recencyDays: number | null;
  /** F and M scores 1..5, null for prospects */
  f: number | null;
  m: number | null;
  discountedOrders: number;
}

interface Rational {
  num: bigint;
  den: bigint;
  /** the same as doubles when every product below stays exact (den ≤ 2^20, counts < 2^32) */
  small: { num: number; den: number } | null;
}

/** The exact rational a number's shortest decimal form denotes: 0.5 → 5/10, 1e-7 → 1/10^7. */
function decimalRational(value: number): Rational {
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
  if (!match) throw new RangeError(`share must be a finite non-negative number, got ${String(value)}`);
  const [, whole = "0", fraction = "", exp = "0"] = match;
  const e = Number(exp) - fraction.length;
  const digits = BigInt(whole + fraction);
  const num = e >= 0 ? digits * 10n ** BigInt(e) : digits;
  const den = e >= 0 ? 1n : 10n ** BigInt(-e);
  return { num, den, small: den <= 1n << 20n && num <= den ? { num: Number(num), den: Number(den) } : null };
}

// Rules run per customer (a million in a rescore); the threshold is the same for all of them.
let cachedShare = Number.NaN;
let cachedRational: Rational = { num: 0n, den: 1n, small: { num: 0, den: 1 } };

/**
 * discounted / frequency ≥ share, exactly: share is read as the decimal it prints as (0.5 is 1/2,
 * 0.4999 is 4999/10000), so no float error decides a customer at the boundary. False when frequency = 0.
 */
export function discountShareAtLeast(discounted: number, frequency: number, share: number): boolean {
  if (frequency <= 0) return false;
  if (share !== cachedShare) {
    cachedRational = decimalRational(share);
    cachedShare = share;
  }
  const { num, den, small } = cachedRational;
  if (small && discounted < 2 ** 32 && frequency < 2 ** 32)
    return discounted * small.den >= small.num * frequency;
  return BigInt(discounted) * den >= num * BigInt(frequency);
}

/** The first rule that matches, in the issue's order. */
export function segmentFor(c: SegmentInput, t: SegmentThresholds): Segment {
  if (c.frequency === 0) return "prospect";
  if (c.recencyDays !== null && c.recencyDays > t.lapsedAfterDays) return "lapsed";
  if (c.f !== null && c.m !== null && c.f >= t.vipMinF && c.m >= t.vipMinM && c.frequency >= t.vipMinOrders)
    return "vip";
  if (discountShareAtLeast(c.discountedOrders, c.frequency, t.priceSensitiveShare)) return "price_sensitive";
  if (c.recencyDays !== null && c.recencyDays <= t.recentWithinDays) return "recent";
  return "regular";
}

/** What each segment is called and how it is treated, in the merchant's words (DESIGN.md). */
export const SEGMENT_TREATMENT: Record<Segment, { label: string; treatment: string }> = {
  vip: {
    label: "VIP",
    treatment: "Early access and exclusive previews; protect margin, no blanket discounts.",
  },
  price_sensitive: {
    label: "Price-sensitive",
    treatment: "Urgency: short sale windows, clear deadlines, countdowns.",
  },
  lapsed: {
    label: "Lapsed",
    treatment: "Re-engage with delivery guarantees and shipping cut-offs, not discounts.",
  },
  recent: {
    label: "Recent",
    treatment: "Inventory-aware cross-sell: only products that are in stock.",
  },
  regular: {
    label: "Regular",
    treatment: "Standard holiday campaigns; no special treatment.",
  },
  prospect: {
    label: "Prospect",
    treatment: "No order yet: welcome offer, with consent, to win a first order.",
  },
};
