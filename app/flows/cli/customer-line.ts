import { z } from "zod";
import { parseCustomerFacts, type CustomerFacts } from "../../sync/backfill/fact-lines";
import { describeIssues, parseJson, timestamp, type LineResult } from "../../sync/backfill/parse-lines";

// A line of the flows command's customers file: what `plan` reads of a customer (fact-lines.ts:
// id, contact, consent states, address and zone) and, for the welcome flow, when each consent was
// last changed (`consentUpdatedAt`, optional). Pure.

export type FlowFileCustomer = CustomerFacts & {
  emailConsentUpdatedAt: Date | null;
  smsConsentUpdatedAt: Date | null;
};

const ConsentTimes = z.object({
  emailMarketingConsent: z.object({ consentUpdatedAt: timestamp.nullish() }).nullish(),
  smsMarketingConsent: z.object({ consentUpdatedAt: timestamp.nullish() }).nullish(),
});

const dateOf = (value: string | null | undefined): Date | null => (value ? new Date(value) : null);

export function parseFlowCustomer(text: string, line: number): LineResult<FlowFileCustomer> {
  const facts = parseCustomerFacts(text, line);
  if (facts.kind !== "row") return facts;
  const none = { ...facts.row, emailConsentUpdatedAt: null, smsConsentUpdatedAt: null };
  // Most lines that carry consent carry its time: read it only when it is there.
  if (!text.includes('"consentUpdatedAt"')) return { kind: "row", row: none };
  const json = parseJson(text);
  if ("reason" in json) return { kind: "error", line, reason: json.reason };
  const times = ConsentTimes.safeParse(json.value);
  if (!times.success) return { kind: "error", line, reason: describeIssues(times.error) };
  return {
    kind: "row",
    row: {
      ...none,
      emailConsentUpdatedAt: dateOf(times.data.emailMarketingConsent?.consentUpdatedAt),
      smsConsentUpdatedAt: dateOf(times.data.smsMarketingConsent?.consentUpdatedAt),
    },
  };
}
