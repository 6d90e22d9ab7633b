import { z } from "zod";
import { callAdmin } from "../../admin-api/graphql-client.server";
import {
  SEGMENT_TAG_ADD_MUTATION,
  SEGMENT_TAG_REMOVE_MUTATION,
  SEGMENT_TAG_REPLACE_MUTATION,
} from "./documents";
import { customerGid, segmentTag, staleTags, type TaggableCustomer } from "./plan";
import type { Tagged } from "./tagged.server";
import type { TagMode, TagWriteDeps } from "./deps";

// A handful of customers (one whose segment changed after a webhook): a request each. A bulk run
// costs a staged upload, the upload, a start, polls and a download — about five requests and
// seconds of latency — where one customer needs a single request of 10–20 cost points.

const UserErrors = z.array(
  z.object({ field: z.array(z.string()).nullable().optional(), message: z.string() }),
);
const TagsPayload = z
  .object({ node: z.object({ id: z.string() }).nullable(), userErrors: UserErrors })
  .nullable();
const TagResult = z.object({ tagsAdd: TagsPayload.optional(), tagsRemove: TagsPayload.optional() });

async function send(
  deps: TagWriteDeps,
  shop: string,
  customer: TaggableCustomer,
  document: string,
  variables: Record<string, unknown>,
): Promise<boolean> {
  const data = TagResult.parse(
    await callAdmin(
      deps.admin,
      document,
      { id: customerGid(customer.id), ...variables },
      { sleep: deps.sleep, log: deps.log },
    ),
  );
  const errors = [...(data.tagsAdd?.userErrors ?? []), ...(data.tagsRemove?.userErrors ?? [])];
  if (errors.length > 0) {
    deps.log(
      `segment tags (${shop}): customer ${customer.id} refused: ${errors.map((e) => e.message).join("; ")}`,
    );
    return false;
  }
  return true;
}

/** Writes one customer's tags; what Shopify now holds, or undefined when it refused. */
async function writeOne(
  deps: TagWriteDeps,
  shop: string,
  mode: TagMode,
  customer: TaggableCustomer,
): Promise<Tagged | undefined> {
  if (mode === "untag") {
    const remove = staleTags(customer, null);
    const ok =
      remove.length === 0 || (await send(deps, shop, customer, SEGMENT_TAG_REMOVE_MUTATION, { remove }));
    return ok ? { id: customer.id, segment: null } : undefined;
  }
  const add = [segmentTag(customer.segment)];
  const remove = staleTags(customer, customer.segment);
  // tagsAdd before tagsRemove (fields run in order): the customer is never without a segment tag
  const ok =
    remove.length > 0
      ? await send(deps, shop, customer, SEGMENT_TAG_REPLACE_MUTATION, { add, remove })
      : await send(deps, shop, customer, SEGMENT_TAG_ADD_MUTATION, { add });
  // What Shopify now holds is the segment we sent, even if a rescore moved the customer since.
  return ok ? { id: customer.id, segment: customer.segment } : undefined;
}

/** Up to `concurrency` requests in flight; THROTTLED answers are waited out by callAdmin. */
export async function writeDirect(
  deps: TagWriteDeps,
  shop: string,
  mode: TagMode,
  customers: readonly TaggableCustomer[],
): Promise<Tagged[]> {
  const tagged: Tagged[] = [];
  let next = 0;
  const lane = async () => {
    while (next < customers.length) {
      const customer = customers[next++];
      const done = customer ? await writeOne(deps, shop, mode, customer) : undefined;
      if (done) tagged.push(done);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(deps.concurrency ?? 4, customers.length)) }, lane),
  );
  return tagged;
}
