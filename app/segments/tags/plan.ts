import { z } from "zod";
import { SEGMENTS } from "../rules";

// What the tag write-back sends, decided without IO: each customer carries exactly one
// rfm:<segment> tag in Shopify; stale ones (the tag last written, any other app tag seen on the
// customer) go; the merchant's own tags are never part of a request.

export const TAG_PREFIX = "rfm:";
export const segmentTag = (segment: string): string => `${TAG_PREFIX}${segment}`;
export const APP_TAGS: readonly string[] = SEGMENTS.map(segmentTag);

export interface TaggableCustomer {
  id: bigint;
  segment: string;
  taggedSegment: string | null;
  tags: string[];
}

export const customerGid = (id: bigint): string => `gid://shopify/Customer/${id}`;

/** The app's tags the customer should lose: the one last written plus any other rfm:<segment> seen on it. */
export function staleTags(
  customer: Pick<TaggableCustomer, "taggedSegment" | "tags">,
  keep: string | null,
): string[] {
  const stale = new Set(customer.tags.filter((t) => APP_TAGS.includes(t)));
  if (customer.taggedSegment !== null) stale.add(segmentTag(customer.taggedSegment));
  if (keep !== null) stale.delete(segmentTag(keep));
  return [...stale].sort();
}

/** One tagsAdd / tagsRemove of a bulk run: the customer and the tags. */
export interface TagLine {
  id: bigint;
  tags: string[];
}

/** The variables line of a TagLine, for the staged JSONL file. */
export const variablesLine = (line: TagLine): string =>
  JSON.stringify({ id: customerGid(line.id), tags: line.tags });

const UserErrors = z.array(
  z.object({ field: z.array(z.string()).nullable().optional(), message: z.string() }),
);
const TagsPayload = z.object({ node: z.object({ id: z.string() }).nullable(), userErrors: UserErrors });
const ResultData = z.record(z.unknown()).nullable().optional();
const ResultErrors = z.array(z.object({ message: z.string() })).nullish();

export type LineOutcome = { ok: true } | { ok: false; reason: string };

/**
 * Whether one result line of a bulk tagsAdd/tagsRemove run says the customer now holds what was
 * sent: no errors, no userErrors, and the payload names that very customer.
 */
export function tagLineOutcome(
  data: unknown,
  errors: unknown,
  field: "tagsAdd" | "tagsRemove",
  id: bigint,
): LineOutcome {
  const listed = ResultErrors.safeParse(errors);
  if (!listed.success) return { ok: false, reason: "unreadable errors" };
  if (listed.data && listed.data.length > 0)
    return { ok: false, reason: listed.data.map((e) => e.message).join("; ") };
  const parsedData = ResultData.safeParse(data);
  const payload = TagsPayload.safeParse(parsedData.success ? parsedData.data?.[field] : undefined);
  if (!payload.success) return { ok: false, reason: `no ${field} result` };
  if (payload.data.userErrors.length > 0)
    return { ok: false, reason: payload.data.userErrors.map((e) => e.message).join("; ") };
  if (payload.data.node?.id !== customerGid(id))
    return { ok: false, reason: `${field} answered for another resource` };
  return { ok: true };
}
