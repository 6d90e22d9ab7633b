import { describe, expect, it } from "vitest";
import {
  CAMPAIGN_ACTIONS,
  CAMPAIGN_STATUSES,
  checkTransition,
  fromStatuses,
  isEditable,
  isFinalStatus,
  parseCampaignStatus,
  resumeTarget,
  sqlList,
} from "./campaign-status";

describe("campaign status machine", () => {
  it("allows exactly the documented transitions", () => {
    const table = Object.fromEntries(
      CAMPAIGN_ACTIONS.map((action) => [
        action,
        Object.fromEntries(CAMPAIGN_STATUSES.map((status) => [status, checkTransition(status, action).kind])),
      ]),
    );
    expect(table).toEqual({
      schedule: {
        draft: "apply",
        scheduled: "done",
        sending: "done",
        paused: "invalid",
        completed: "invalid",
        cancelled: "invalid",
      },
      start: {
        draft: "invalid",
        scheduled: "apply",
        sending: "done",
        paused: "invalid",
        completed: "invalid",
        cancelled: "invalid",
      },
      pause: {
        draft: "invalid",
        scheduled: "apply",
        sending: "apply",
        paused: "done",
        completed: "invalid",
        cancelled: "invalid",
      },
      resume: {
        draft: "invalid",
        scheduled: "done",
        sending: "done",
        paused: "apply",
        completed: "invalid",
        cancelled: "invalid",
      },
      cancel: {
        draft: "apply",
        scheduled: "apply",
        sending: "apply",
        paused: "apply",
        completed: "invalid",
        cancelled: "done",
      },
      complete: {
        draft: "invalid",
        scheduled: "apply",
        sending: "apply",
        paused: "invalid",
        completed: "done",
        cancelled: "invalid",
      },
    });
  });

  it("never leaves a final status and edits only drafts", () => {
    for (const status of CAMPAIGN_STATUSES.filter(isFinalStatus))
      for (const action of CAMPAIGN_ACTIONS) expect(checkTransition(status, action).kind).not.toBe("apply");
    expect(CAMPAIGN_STATUSES.filter(isEditable)).toEqual(["draft"]);
  });

  it("explains a refused action and resumes to where the campaign was", () => {
    expect(checkTransition("draft", "resume")).toEqual({
      kind: "invalid",
      message: "A draft campaign cannot be resumed",
    });
    expect(resumeTarget(true)).toBe("sending");
    expect(resumeTarget(false)).toBe("scheduled");
    expect(sqlList(fromStatuses("pause"))).toBe("'scheduled', 'sending'");
    expect(parseCampaignStatus("paused")).toBe("paused");
    expect(parseCampaignStatus("PAUSED")).toBeNull();
  });
});
