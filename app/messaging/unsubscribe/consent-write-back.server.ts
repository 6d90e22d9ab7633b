import { z } from "zod";
import { PermanentJobError } from "../../jobs/queue";
import { callAdmin } from "../../admin-api/graphql-client.server";
import type { AdminGraphql } from "../../sync/store-overview.server";
import type { consentWriteBackJob } from "./jobs.server";

// The unsubscribe, written back to the customer in Shopify. Shopify's answer to a customer it no
// longer has (or one without an email address or phone) will not change on a retry: such a job
// ends as failed with Shopify's reason; network errors and THROTTLED are retried.

export const EMAIL_UNSUBSCRIBE_MUTATION = `#graphql
  mutation UnsubscribeEmail($input: CustomerEmailMarketingConsentUpdateInput!) {
    customerEmailMarketingConsentUpdate(input: $input) {
      customer {
        id
        emailMarketingConsent {
          marketingState
          consentUpdatedAt
        }
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const SMS_UNSUBSCRIBE_MUTATION = `#graphql
  mutation UnsubscribeSms($input: CustomerSmsMarketingConsentUpdateInput!) {
    customerSmsMarketingConsentUpdate(input: $input) {
      customer {
        id
        smsMarketingConsent {
          marketingState
          consentUpdatedAt
        }
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

const UserErrors = z.array(z.object({ message: z.string() }));
const State = z.object({ marketingState: z.string() }).nullable();
const EmailResult = z.object({
  customerEmailMarketingConsentUpdate: z.object({
    customer: z.object({ emailMarketingConsent: State }).nullable(),
    userErrors: UserErrors,
  }),
});
const SmsResult = z.object({
  customerSmsMarketingConsentUpdate: z.object({
    customer: z.object({ smsMarketingConsent: State }).nullable(),
    userErrors: UserErrors,
  }),
});

export interface ConsentWriteBackDeps {
  admin: AdminGraphql;
  log: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

/** Sets the customer's email or SMS marketing state to UNSUBSCRIBED in Shopify; returns Shopify's state. */
export async function writeConsentBack(
  deps: ConsentWriteBackDeps,
  payload: z.infer<typeof consentWriteBackJob.payload>,
): Promise<string | undefined> {
  const customerId = `gid://shopify/Customer/${payload.customerId}`;
  const consent = { marketingState: "UNSUBSCRIBED", consentUpdatedAt: payload.at };
  const options = { log: deps.log, sleep: deps.sleep };
  let state: string | undefined;
  let refused: string[];
  if (payload.channel === "email") {
    const data = await callAdmin(
      deps.admin,
      EMAIL_UNSUBSCRIBE_MUTATION,
      { input: { customerId, emailMarketingConsent: consent } },
      options,
    );
    const result = EmailResult.parse(data).customerEmailMarketingConsentUpdate;
    refused = result.userErrors.map((e) => e.message);
    state = result.customer?.emailMarketingConsent?.marketingState;
  } else {
    const data = await callAdmin(
      deps.admin,
      SMS_UNSUBSCRIBE_MUTATION,
      { input: { customerId, smsMarketingConsent: consent } },
      options,
    );
    const result = SmsResult.parse(data).customerSmsMarketingConsentUpdate;
    refused = result.userErrors.map((e) => e.message);
    state = result.customer?.smsMarketingConsent?.marketingState;
  }
  if (refused.length > 0) {
    throw new PermanentJobError(
      `Shopify refused the ${payload.channel} unsubscribe of customer ${payload.customerId}: ${refused.join("; ")}`,
    );
  }
  deps.log(
    `unsubscribe written to Shopify: shop=${payload.shop} customer=${payload.customerId} channel=${payload.channel} state=${state ?? "unknown"}`,
  );
  return state;
}
