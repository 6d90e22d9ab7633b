import type { PrismaClient } from "@prisma/client";
import type { z } from "zod";
import { readNumberText } from "../forms/number-text";
import { DEFAULT_THRESHOLDS, SegmentThresholds } from "./rules";

// The per-shop numbers of the segment rules (ShopSettings.segmentThresholds) and the "tag customers
// with their segment" option. Validated with the rules' zod schema on the way in and again on the
// way out: a stored value that no longer validates falls back to the defaults rather than
// mis-scoring a shop.

export type SettingsDb = Pick<PrismaClient, "shopSettings">;

export type ThresholdField = keyof SegmentThresholds;

/** The six numbers, in the order the rules use them. */
export const THRESHOLD_FIELDS = [
  "lapsedAfterDays",
  "vipMinF",
  "vipMinM",
  "vipMinOrders",
  "priceSensitiveShare",
  "recentWithinDays",
] as const satisfies readonly ThresholdField[];

// Fails to compile when the rules gain a number this list lacks.
type Unlisted = Exclude<ThresholdField, (typeof THRESHOLD_FIELDS)[number]>;
export const THRESHOLD_FIELDS_COMPLETE: [Unlisted] extends [never] ? true : never = true;

function byField<T>(value: (field: ThresholdField) => T): Record<ThresholdField, T> {
  return {
    lapsedAfterDays: value("lapsedAfterDays"),
    vipMinF: value("vipMinF"),
    vipMinM: value("vipMinM"),
    vipMinOrders: value("vipMinOrders"),
    priceSensitiveShare: value("priceSensitiveShare"),
    recentWithinDays: value("recentWithinDays"),
  };
}

export type SaveThresholdsResult =
  | { ok: true; thresholds: SegmentThresholds }
  | { ok: false; errors: Partial<Record<ThresholdField, string>> };

function isThresholdField(key: unknown): key is ThresholdField {
  return THRESHOLD_FIELDS.some((field) => field === key);
}

/** The shop's thresholds; the defaults when none are stored (or the stored JSON is not valid). */
export async function getSegmentThresholds(prisma: SettingsDb, shop: string): Promise<SegmentThresholds> {
  const row = await prisma.shopSettings.findUnique({ where: { shop }, select: { segmentThresholds: true } });
  if (!row) return { ...DEFAULT_THRESHOLDS };
  const parsed = SegmentThresholds.safeParse(row.segmentThresholds);
  return parsed.success ? parsed.data : { ...DEFAULT_THRESHOLDS };
}

/** Whether the shop wants rfm:<segment> tags written to its customers in Shopify. */
export async function getTagSegments(prisma: SettingsDb, shop: string): Promise<boolean> {
  const row = await prisma.shopSettings.findUnique({ where: { shop }, select: { tagSegments: true } });
  return row?.tagSegments ?? false;
}

function errorsOf(error: z.ZodError): Partial<Record<ThresholdField, string>> {
  const errors: Partial<Record<ThresholdField, string>> = {};
  for (const issue of error.issues) {
    const field = issue.path[0];
    if (isThresholdField(field) && errors[field] === undefined) errors[field] = issue.message;
  }
  return errors;
}

/** Validates and stores the thresholds; bad values are refused with a message per field, the old ones stay. */
export async function saveSegmentThresholds(
  prisma: SettingsDb,
  shop: string,
  input: unknown,
): Promise<SaveThresholdsResult> {
  const parsed = SegmentThresholds.safeParse(input);
  if (!parsed.success) return { ok: false, errors: errorsOf(parsed.error) };
  const thresholds = parsed.data;
  await prisma.shopSettings.upsert({
    where: { shop },
    create: { shop, segmentThresholds: thresholds },
    update: { segmentThresholds: thresholds },
  });
  return { ok: true, thresholds };
}

/** A form field as the merchant typed it: empty is "required", text that is not plain digits says so. */
function numberField(field: ThresholdField, raw: string): { value: number } | { error: string } {
  const text = raw.trim();
  if (text === "") return { error: "Required" };
  const kind = field === "priceSensitiveShare" ? "decimal" : "whole";
  const value = readNumberText(text, kind);
  if (value !== null) return { value };
  return {
    error:
      kind === "whole" ? "Enter a whole number (digits only, like 30)" : "Enter a number (digits, like 0.5)",
  };
}

export type SegmentSettingsActionResult =
  | {
      ok: true;
      thresholds: SegmentThresholds;
      tagSegments: boolean;
      /** The thresholds changed: enqueue a full rescore of the shop. */
      rescore: boolean;
      /** The tag option changed: the segment tags need writing (or removing) in Shopify. */
      retag: boolean;
    }
  | { ok: false; errors: Partial<Record<ThresholdField, string>>; values: Record<ThresholdField, string> };

/**
 * The Settings route's `intent=thresholds` action: the six numbers and the tag checkbox of
 * SegmentSettingsForm. Nothing is stored unless every number is valid.
 */
export async function saveSegmentSettingsAction(
  prisma: SettingsDb,
  shop: string,
  form: FormData,
): Promise<SegmentSettingsActionResult> {
  const values = byField((field) => {
    const raw = form.get(field);
    return typeof raw === "string" ? raw : "";
  });
  const fields = byField((field) => numberField(field, values[field]));
  const errors: Partial<Record<ThresholdField, string>> = {};
  for (const field of THRESHOLD_FIELDS) {
    const parsed = fields[field];
    if ("error" in parsed) errors[field] = parsed.error;
  }
  const input = byField((field) => {
    const parsed = fields[field];
    return "value" in parsed ? parsed.value : Number.NaN;
  });
  if (Object.keys(errors).length > 0) return { ok: false, errors, values };
  const checkbox = form.get("tagSegments");
  const tagSegments = checkbox === "on" || checkbox === "true";

  const [oldThresholds, oldTagSegments] = await Promise.all([
    getSegmentThresholds(prisma, shop),
    getTagSegments(prisma, shop),
  ]);
  const parsed = SegmentThresholds.safeParse(input);
  if (!parsed.success) return { ok: false, errors: errorsOf(parsed.error), values };
  const thresholds = parsed.data;
  await prisma.shopSettings.upsert({
    where: { shop },
    create: { shop, segmentThresholds: thresholds, tagSegments },
    update: { segmentThresholds: thresholds, tagSegments },
  });
  return {
    ok: true,
    thresholds,
    tagSegments,
    rescore: THRESHOLD_FIELDS.some((field) => oldThresholds[field] !== thresholds[field]),
    retag: oldTagSegments !== tagSegments,
  };
}
