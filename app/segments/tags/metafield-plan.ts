import { z } from "zod";
import { customerGid, type LineOutcome } from "./plan";

// What the segment metafield write-back sends, decided without IO: every customer whose segment
// may have changed gets $app.rfm_segment = its segment, whether or not the merchant wants tags (the
// tag option is about tags; the storefront's VIP block reads the metafield). Setting a metafield to
// the value it holds changes nothing, so a customer sent twice is harmless and nothing is recorded.

export const SEGMENT_METAFIELD = Object.freeze({
  namespace: "$app",
  key: "rfm_segment",
  type: "single_line_text_field",
});
/** metafieldsSet takes at most 25 metafields per call. */
export const METAFIELDS_PER_CALL = 25;

export interface SegmentMetafield {
  id: bigint;
  segment: string;
}

/** One customer's MetafieldsSetInput. */
export const metafieldInput = (customer: SegmentMetafield) => ({
  ownerId: customerGid(customer.id),
  namespace: SEGMENT_METAFIELD.namespace,
  key: SEGMENT_METAFIELD.key,
  type: SEGMENT_METAFIELD.type,
  value: customer.segment,
});

/** The variables of one metafieldsSet call (a line of a bulk run's JSONL file). */
export const metafieldsVariables = (customers: readonly SegmentMetafield[]) => ({
  metafields: customers.map(metafieldInput),
});

/** Consecutive groups of at most `size`. */
export function inGroups<T>(items: readonly T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let from = 0; from < items.length; from += size) groups.push(items.slice(from, from + size));
  return groups;
}

const UserErrors = z.array(
  z.object({ field: z.array(z.string()).nullable().optional(), message: z.string() }),
);
const SetPayload = z.object({
  metafields: z.array(z.object({ id: z.string() })).nullable(),
  userErrors: UserErrors,
});
const ResultData = z.record(z.unknown()).nullable().optional();
const ResultErrors = z.array(z.object({ message: z.string() })).nullish();

/**
 * Whether one metafieldsSet answer (a request's data, or a bulk result line's data and errors) set
 * all `sent` metafields: no errors, no userErrors, one metafield back per input.
 */
export function metafieldsSetOutcome(data: unknown, errors: unknown, sent: number): LineOutcome {
  const listed = ResultErrors.safeParse(errors);
  if (!listed.success) return { ok: false, reason: "unreadable errors" };
  if (listed.data && listed.data.length > 0)
    return { ok: false, reason: listed.data.map((e) => e.message).join("; ") };
  const parsedData = ResultData.safeParse(data);
  const payload = SetPayload.safeParse(parsedData.success ? parsedData.data?.metafieldsSet : undefined);
  if (!payload.success) return { ok: false, reason: "no metafieldsSet result" };
  if (payload.data.userErrors.length > 0)
    return { ok: false, reason: payload.data.userErrors.map((e) => e.message).join("; ") };
  const set = payload.data.metafields?.length ?? 0;
  if (set !== sent) return { ok: false, reason: `${set} of ${sent} metafields set` };
  return { ok: true };
}
