import { Banner } from "@shopify/polaris";
import { usePollWhile } from "./use-poll-while";

/** A background plan: "planning" (the page reloads its data every 2 s until done), or why it failed. */
export function PlanStatus({
  planRequestedAt,
  planRequestedLabel,
  planError,
}: {
  planRequestedAt: string | null;
  /** planRequestedAt on the shop's clock */
  planRequestedLabel: string | null;
  planError: string | null;
}) {
  usePollWhile(planRequestedAt !== null);
  if (planRequestedAt !== null)
    return (
      <Banner tone="info" title="Planning in the background">
        Started {planRequestedLabel}. This page updates every 2 s; the audience shows
        when the plan is done.
      </Banner>
    );
  if (planError)
    return (
      <Banner tone="critical" title="The last plan did not finish">
        {planError}
      </Banner>
    );
  return null;
}
