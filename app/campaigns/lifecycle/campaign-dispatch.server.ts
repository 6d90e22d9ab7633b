import { runTransition, type StatusChange } from "./change-campaign-status.server";
import type { CampaignDeps } from "./deps";

// What the dispatcher (built elsewhere) calls on campaigns. Its contract with this stage:
// - claim only `queued` rows whose sendAt has come, of campaigns in DISPATCHABLE_STATUSES
//   (scheduled, sending), checking Campaign.status in the claiming statement itself, so a pause or
//   cancel stops new claims at once (rows already claimed, `sending`, finish);
// - check suppressions, consent and SMS hours again just before sending (a paused campaign resumed
//   late may hold rows whose time has passed), and skip rows past the campaign's end;
// - the row id is the idempotency key given to the provider.

/** The first claimed message: scheduled → sending; `changed: false` (never an error) otherwise. */
export function markCampaignSending(
  deps: CampaignDeps,
  shop: string,
  campaignId: string,
): Promise<StatusChange> {
  return runTransition(deps, shop, campaignId, "start");
}

/**
 * After a message finished: scheduled/sending → completed when no row is queued or sending any more.
 * `changed: false` (never an error) while messages remain or the campaign is paused, cancelled, …;
 * a paused campaign is completed only after it is resumed.
 */
export function completeCampaignIfDone(
  deps: CampaignDeps,
  shop: string,
  campaignId: string,
): Promise<StatusChange> {
  return runTransition(deps, shop, campaignId, "complete");
}
