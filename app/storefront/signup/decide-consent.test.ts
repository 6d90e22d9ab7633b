import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideSignup, type ChannelConsent } from "./decide-consent";

const state = (marketingState: string, marketingOptInLevel: string | null = "SINGLE_OPT_IN"): ChannelConsent => ({
  marketingState,
  marketingOptInLevel,
});

describe("decideSignup", () => {
  it("asks a new email subscriber to confirm, and subscribes a new SMS subscriber at once", () => {
    expect(decideSignup({ emailConsent: true, smsConsent: true }, { email: null, sms: null }, { doubleOptInEmail: true })).toEqual({
      changes: [
        { channel: "email", state: "PENDING", optInLevel: "CONFIRMED_OPT_IN" },
        { channel: "sms", state: "SUBSCRIBED", optInLevel: "SINGLE_OPT_IN" },
      ],
      outcome: "pending",
    });
  });

  it("subscribes email at once when the shop turned double opt-in off", () => {
    expect(
      decideSignup({ emailConsent: true, smsConsent: false }, { email: state("NOT_SUBSCRIBED", null), sms: null }, { doubleOptInEmail: false }),
    ).toEqual({ changes: [{ channel: "email", state: "SUBSCRIBED", optInLevel: "SINGLE_OPT_IN" }], outcome: "subscribed" });
  });

  it("changes nothing for a shopper already subscribed", () => {
    expect(
      decideSignup(
        { emailConsent: true, smsConsent: true },
        { email: state("SUBSCRIBED", "CONFIRMED_OPT_IN"), sms: state("SUBSCRIBED") },
        { doubleOptInEmail: true },
      ),
    ).toEqual({ changes: [], outcome: "already" });
  });

  it("sends a pending shopper a new confirmation, and re-subscribes one who unsubscribed", () => {
    expect(
      decideSignup({ emailConsent: true, smsConsent: true }, { email: state("PENDING", "CONFIRMED_OPT_IN"), sms: state("UNSUBSCRIBED") }, { doubleOptInEmail: true }),
    ).toEqual({
      changes: [
        { channel: "email", state: "PENDING", optInLevel: "CONFIRMED_OPT_IN" },
        { channel: "sms", state: "SUBSCRIBED", optInLevel: "SINGLE_OPT_IN" },
      ],
      outcome: "pending",
    });
  });

  it("never touches a channel the shopper did not tick, and never downgrades a subscriber", () => {
    const consent = fc.option(
      fc.record({
        marketingState: fc.constantFrom("SUBSCRIBED", "PENDING", "UNSUBSCRIBED", "NOT_SUBSCRIBED", "REDACTED", "INVALID"),
        marketingOptInLevel: fc.constantFrom("SINGLE_OPT_IN", "CONFIRMED_OPT_IN", "UNKNOWN", null),
      }),
      { nil: null },
    );
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), consent, consent, fc.boolean(), (emailConsent, smsConsent, email, sms, doubleOptInEmail) => {
        const { changes, outcome } = decideSignup({ emailConsent, smsConsent }, { email, sms }, { doubleOptInEmail });
        for (const change of changes) {
          expect(change.channel === "email" ? emailConsent : smsConsent).toBe(true);
          expect((change.channel === "email" ? email : sms)?.marketingState).not.toBe("SUBSCRIBED");
        }
        expect(outcome === "already").toBe(changes.length === 0);
        expect(outcome === "pending").toBe(changes.some((c) => c.state === "PENDING"));
      }),
    );
  });
});
