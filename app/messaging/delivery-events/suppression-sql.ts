// Which local suppressions still hold, in SQL, for every query that reads them (planning and the
// check just before sending). An unsubscribe is undone only by the customer: when Shopify's consent
// for the channel says SUBSCRIBED again and was given after the suppression was recorded (our own
// write-back carries the suppression's time, so it never counts), the customer opted in anew —
// through the storefront or the merchant's admin — and the suppression no longer applies. Bounces
// and complaints stay: a new opt-in does not make an address deliverable or a complaint unsaid.

/** A condition on the Suppression row `s` (alias) that is true while it applies. */
export function suppressionInForce(s: string): string {
  return `NOT (${s}.reason = 'unsubscribed' AND EXISTS (
    SELECT 1 FROM "Customer" c WHERE c.shop = ${s}.shop AND c.id = ${s}."customerId" AND (
      (${s}.channel = 'email' AND c."emailMarketingState" = 'SUBSCRIBED' AND c."emailConsentUpdatedAt" > ${s}."createdAt")
      OR (${s}.channel = 'sms' AND c."smsMarketingState" = 'SUBSCRIBED' AND c."smsConsentUpdatedAt" > ${s}."createdAt"))))`;
}
