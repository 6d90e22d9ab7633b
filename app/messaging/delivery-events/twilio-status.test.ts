import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  TwilioStatusReport,
  twilioStatusCallbackUrl,
  twilioStatusKind,
  twilioStatusNote,
  twilioStatusSuppression,
  TWILIO_STATUS_PATH,
} from "./twilio-status";

const SID = `SM${"ab".repeat(16)}`;
const report = (MessageStatus: string, ErrorCode?: string) =>
  TwilioStatusReport.parse({ MessageSid: SID, MessageStatus, ErrorCode, To: "+15551234567" });

describe("twilioStatusCallbackUrl", () => {
  it("names the shop and the outbox id under the app's URL", () => {
    const url = new URL(twilioStatusCallbackUrl("https://app.example.com/", "a.myshopify.com", "m_ab12"));
    expect(url.origin + url.pathname).toBe(`https://app.example.com${TWILIO_STATUS_PATH}`);
    expect(Object.fromEntries(url.searchParams)).toEqual({ shop: "a.myshopify.com", message: "m_ab12" });
  });
});

describe("twilioStatusKind", () => {
  it("counts Twilio's final statuses only: delivered, and undelivered or failed as undelivered", () => {
    expect(twilioStatusKind(report("delivered"))).toBe("delivered");
    expect(twilioStatusKind(report("undelivered", "30003"))).toBe("undelivered");
    expect(twilioStatusKind(report("failed", "30006"))).toBe("undelivered");
    for (const status of ["queued", "accepted", "sending", "sent", "read", "receiving"]) {
      expect(twilioStatusKind(report(status))).toBeNull();
    }
  });
});

describe("twilioStatusSuppression", () => {
  it("suppresses only failed deliveries whose code names the number", () => {
    expect(twilioStatusSuppression(report("undelivered", "30003"))).toBe("bounced");
    expect(twilioStatusSuppression(report("undelivered", "30005"))).toBe("bounced");
    expect(twilioStatusSuppression(report("failed", "30006"))).toBe("bounced");
    expect(twilioStatusSuppression(report("failed", "21610"))).toBe("unsubscribed");
    expect(twilioStatusSuppression(report("undelivered", "30007"))).toBeNull();
    expect(twilioStatusSuppression(report("undelivered"))).toBeNull();
  });

  it("never suppresses on a status that is not a failure, whatever the code", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          "queued",
          "accepted",
          "sending",
          "sent",
          "delivered",
          "read",
          "scheduled",
          "canceled",
        ),
        fc.constantFrom("30003", "30005", "30006", "21610", "21211", undefined),
        (status, code) => twilioStatusSuppression(report(status, code)) === null,
      ),
    );
  });

  it("reads only what it needs and refuses what is not a report", () => {
    expect(report("undelivered", "30005")).toEqual({
      MessageSid: SID,
      MessageStatus: "undelivered",
      ErrorCode: 30005,
    });
    expect(TwilioStatusReport.safeParse({ MessageSid: "nope", MessageStatus: "sent" }).success).toBe(false);
    expect(
      TwilioStatusReport.safeParse({ MessageSid: SID, MessageStatus: "failed", ErrorCode: "x" }).success,
    ).toBe(false);
  });
});

describe("twilioStatusNote", () => {
  it("is the failed status and Twilio's code with its class", () => {
    expect(twilioStatusNote(report("undelivered", "30005"))).toBe(
      "undelivered: Twilio 30005 (unknown number)",
    );
    expect(twilioStatusNote(report("failed", "30006"))).toBe(
      "failed: Twilio 30006 (landline or unreachable carrier)",
    );
    expect(twilioStatusNote(report("failed", "21610"))).toBe("failed: Twilio 21610 (recipient replied STOP)");
    expect(twilioStatusNote(report("failed"))).toBe("failed");
  });
});
