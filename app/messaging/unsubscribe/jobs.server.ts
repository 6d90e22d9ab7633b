import { z } from "zod";
import { defineJob } from "../../jobs/definitions";

/**
 * Writes an unsubscribe back to Shopify (customerEmailMarketingConsentUpdate or
 * customerSmsMarketingConsentUpdate). `at` is when the customer unsubscribed (the suppression's
 * time): it is the consent time sent to Shopify and part of the job id, so repeated clicks make
 * one job while a later unsubscribe, after a re-subscribe, makes another. Retried through a
 * Shopify outage.
 */
export const consentWriteBackJob = defineJob({
  name: "unsubscribe.consent-write-back",
  version: 1,
  payload: z.object({
    shop: z.string().min(1),
    customerId: z.string().regex(/^\d{1,20}$/),
    channel: z.enum(["email", "sms"]),
    at: z.string().datetime(),
  }),
  maxAttempts: 10,
  lane: "shopify",
  backoff: { baseMs: 5_000, maxMs: 30 * 60_000 },
});
