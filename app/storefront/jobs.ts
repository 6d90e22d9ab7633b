import { z } from "zod";
import { defineJob } from "../jobs/definitions";

/**
 * Sends the double opt-in email of one pending storefront signup (its ledger record). The address
 * is read from Shopify when the job runs, so no personal data sits in the queue; one job per record.
 */
export const sendSignupConfirmationJob = defineJob({
  name: "storefront.send-confirmation",
  version: 1,
  payload: z.object({
    shop: z.string().min(1),
    recordId: z.string().uuid(),
    locale: z.enum(["en", "fr"]),
  }),
  idOf: ({ shop, recordId }) => `${shop}:${recordId}`,
  maxAttempts: 8,
  backoff: { baseMs: 10_000, maxMs: 30 * 60_000 },
});
