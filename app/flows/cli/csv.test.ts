import { describe, expect, it } from "vitest";
import type { FlowRow } from "../model";
import { FLOWS_CSV_HEADER, formatFlowRow, sortFlowRows } from "./csv";

const row = (over: Partial<FlowRow>): FlowRow => ({
  flowKey: "abandoned_checkout",
  stepIndex: 1,
  stepId: "first_message",
  enrollmentId: "e_1",
  triggerEntityId: "5001",
  customerId: "1001",
  channel: "email",
  holdout: false,
  messageKey: "m_1",
  dueAt: new Date("2026-11-27T11:00:00Z"),
  sendAt: new Date("2026-11-27T11:00:00Z"),
  deferredForQuietHours: false,
  deferredForCap: false,
  skipReason: null,
  ...over,
});

describe("the flows CSV", () => {
  it("has the issue's header and one cell per column", () => {
    expect(FLOWS_CSV_HEADER).toBe(
      "flow,step,trigger_id,customer_id,channel,holdout,due_at_utc,send_at_utc,skip_reason",
    );
    expect(formatFlowRow(row({}))).toBe(
      "abandoned_checkout,first_message,5001,1001,email,false,2026-11-27T11:00:00.000Z,2026-11-27T11:00:00.000Z,",
    );
    expect(formatFlowRow(row({ holdout: true, skipReason: "holdout" }))).toMatch(/,true,.*,holdout$/);
    expect(formatFlowRow(row({ sendAt: null, skipReason: "converted" }))).toMatch(/Z,,converted$/);
    // ids come from files: a cell that would run as a formula stays text
    expect(formatFlowRow(row({ triggerEntityId: "=1+1" }))).toContain(",'=1+1,");
  });

  it("sorts by flow as listed, trigger and customer as strings, step, channel", () => {
    const rows = [
      row({ flowKey: "welcome", triggerEntityId: "1" }),
      row({ triggerEntityId: "10", stepIndex: 3 }),
      row({ triggerEntityId: "9", channel: "sms" }),
      row({ triggerEntityId: "9" }),
      row({ triggerEntityId: "10", stepIndex: 1 }),
    ];
    const sorted = sortFlowRows(rows, ["abandoned_checkout", "welcome"]).map(
      (r) => `${r.flowKey}/${r.triggerEntityId}/${r.stepIndex}/${r.channel}`,
    );
    expect(sorted).toEqual([
      "abandoned_checkout/10/1/email",
      "abandoned_checkout/10/3/email",
      "abandoned_checkout/9/1/email",
      "abandoned_checkout/9/1/sms",
      "welcome/1/1/email",
    ]);
  });
});
