// The Shopify Flow trigger "Customer segment changed" (extensions/rfm-segment-changed): what the app
// sends to flowTriggerReceive for one segment transition. The payload's keys are the extension's
// fields: `customer_id` for its customer reference, then the custom fields by key. Pure.

export const SEGMENT_CHANGED_HANDLE = "rfm-segment-changed";

export const SEGMENT_CHANGED_MUTATION = `#graphql
  mutation SegmentChangedFlowTrigger($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors {
        field
        message
      }
    }
  }
`;

/** What a SegmentTransition row holds that the trigger sends. */
export interface SegmentChange {
  customerId: bigint;
  /** null: the customer had no segment before (first scoring) */
  fromSegment: string | null;
  toSegment: string;
}

export interface SegmentChangedPayload {
  customer_id: number;
  "From segment": string;
  "To segment": string;
}

export interface SegmentChangedTrigger {
  handle: typeof SEGMENT_CHANGED_HANDLE;
  payload: SegmentChangedPayload;
}

/** The flowTriggerReceive variables for one transition. */
export function segmentChangedTrigger(change: SegmentChange): SegmentChangedTrigger {
  // Flow reads the customer reference as a JSON number: Shopify's ids are well below 2^53.
  const customerId = Number(change.customerId);
  if (!Number.isSafeInteger(customerId) || customerId <= 0)
    throw new RangeError(`customer id ${change.customerId} cannot be sent to Shopify Flow`);
  return {
    handle: SEGMENT_CHANGED_HANDLE,
    payload: {
      customer_id: customerId,
      // an empty text, not null: a Flow condition compares strings
      "From segment": change.fromSegment ?? "",
      "To segment": change.toSegment,
    },
  };
}
