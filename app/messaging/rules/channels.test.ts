import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CHANNELS,
  channelSkipReason,
  eligibleChannels,
  SUPPRESSION_REASONS,
  type Channel,
  type ConsentFields,
  type Suppression,
} from "./channels";

const STATES = [
  "SUBSCRIBED",
  "NOT_SUBSCRIBED",
  "UNSUBSCRIBED",
  "PENDING",
  "REDACTED",
  "INVALID",
  "subscribed",
  null,
] as const;
const customer = (over: Partial<ConsentFields> = {}): ConsentFields => ({
  email: "ada@example.com",
  phone: "+15555550100",
  emailMarketingState: "SUBSCRIBED",
  smsMarketingState: "SUBSCRIBED",
  ...over,
});

describe("channelSkipReason: consent × suppression × address matrix", () => {
  const suppressionSets: Suppression[][] = [
    [],
    ...SUPPRESSION_REASONS.flatMap((reason) =>
      [...CHANNELS, "all" as const].map((channel): Suppression[] => [{ channel, reason }]),
    ),
    [
      { channel: "email", reason: "unsubscribed" },
      { channel: "all", reason: "complained" },
    ],
    [
      { channel: "sms", reason: "bounced" },
      { channel: "sms", reason: "unsubscribed" },
    ],
  ];
  const severity = ["complained", "bounced", "unsubscribed"] as const;
  const worst = (channel: Channel, s: Suppression[]) =>
    severity.find((r) => s.some((x) => x.reason === r && (x.channel === channel || x.channel === "all")));

  it.each(STATES)("marketing state %s", (state) => {
    for (const suppressions of suppressionSets) {
      for (const address of ["present", "missing", "blank"] as const) {
        const value = address === "present" ? "x" : address === "missing" ? null : "  ";
        for (const channel of ["email", "sms"] as const) {
          const c =
            channel === "email"
              ? customer({ emailMarketingState: state, email: value })
              : customer({ smsMarketingState: state, phone: value });
          const w = worst(channel, suppressions);
          // Only the exact Shopify value SUBSCRIBED is consent; then suppressions, then the address.
          const expected =
            state !== "SUBSCRIBED"
              ? "no_consent"
              : w
                ? `suppressed_${w}`
                : address === "present"
                  ? null
                  : "no_address";
          expect(
            channelSkipReason(channel, c, suppressions),
            `${channel} ${JSON.stringify(suppressions)} address ${address}`,
          ).toBe(expected);
        }
      }
    }
  });
});

describe("webhook eligibility", () => {
  it("follows email OR SMS marketing consent, needs no address, and honours suppressions", () => {
    const none = { email: null, phone: null };
    expect(
      channelSkipReason("webhook", customer({ ...none, smsMarketingState: "NOT_SUBSCRIBED" }), []),
    ).toBeNull();
    expect(
      channelSkipReason("webhook", customer({ ...none, emailMarketingState: "PENDING" }), []),
    ).toBeNull();
    expect(
      channelSkipReason(
        "webhook",
        customer({ emailMarketingState: "UNSUBSCRIBED", smsMarketingState: null }),
        [],
      ),
    ).toBe("no_consent");
    expect(
      channelSkipReason("webhook", customer({ smsMarketingState: null }), [
        { channel: "email", reason: "unsubscribed" },
      ]),
    ).toBe("suppressed_unsubscribed");
    expect(
      channelSkipReason("webhook", customer({ smsMarketingState: null }), [
        { channel: "sms", reason: "unsubscribed" },
      ]),
    ).toBeNull();
    expect(channelSkipReason("webhook", customer(), [{ channel: "email", reason: "bounced" }])).toBeNull(); // SMS still allowed
    expect(channelSkipReason("webhook", customer(), [{ channel: "webhook", reason: "unsubscribed" }])).toBe(
      "suppressed_unsubscribed",
    );
    expect(channelSkipReason("webhook", customer(), [{ channel: "all", reason: "complained" }])).toBe(
      "suppressed_complained",
    );
  });
});

describe("eligibleChannels", () => {
  const onlySms = customer({ emailMarketingState: "NOT_SUBSCRIBED" });
  it("first: stops at the first eligible channel of the campaign's order", () => {
    expect(eligibleChannels(customer(), [], { channels: ["email", "sms"], channelMode: "first" })).toEqual([
      { channel: "email", skipReason: null },
    ]);
    expect(eligibleChannels(customer(), [], { channels: ["sms", "email"], channelMode: "first" })).toEqual([
      { channel: "sms", skipReason: null },
    ]);
    expect(
      eligibleChannels(onlySms, [], { channels: ["email", "sms", "webhook"], channelMode: "first" }),
    ).toEqual([
      { channel: "email", skipReason: "no_consent" },
      { channel: "sms", skipReason: null },
    ]);
  });
  it("all: every channel, each with its reason", () => {
    expect(
      eligibleChannels(onlySms, [{ channel: "sms", reason: "bounced" }], {
        channels: ["email", "sms", "webhook"],
        channelMode: "all",
      }),
    ).toEqual([
      { channel: "email", skipReason: "no_consent" },
      { channel: "sms", skipReason: "suppressed_bounced" },
      { channel: "webhook", skipReason: "suppressed_bounced" },
    ]);
    expect(
      eligibleChannels(customer(), [], { channels: ["email", "email", "sms"], channelMode: "all" }),
    ).toHaveLength(2);
  });
  it("property: first = all's rows up to and including its first eligible one; no row is eligible without consent", () => {
    const arbCustomer = fc.record({
      email: fc.constantFrom("a@b.c", null, ""),
      phone: fc.constantFrom("+15555550100", null),
      emailMarketingState: fc.constantFrom(...STATES),
      smsMarketingState: fc.constantFrom(...STATES),
    });
    const arbSuppressions = fc.array(
      fc.record({
        channel: fc.constantFrom(...CHANNELS, "all" as const),
        reason: fc.constantFrom(...SUPPRESSION_REASONS),
      }),
      { maxLength: 3 },
    );
    fc.assert(
      fc.property(
        arbCustomer,
        arbSuppressions,
        fc.uniqueArray(fc.constantFrom(...CHANNELS), { minLength: 1 }),
        (c, s, channels) => {
          const all = eligibleChannels(c, s, { channels, channelMode: "all" });
          const first = eligibleChannels(c, s, { channels, channelMode: "first" });
          const cut = all.findIndex((d) => d.skipReason === null);
          expect(first).toEqual(cut < 0 ? all : all.slice(0, cut + 1));
          for (const d of all.filter((x) => x.skipReason === null)) {
            if (d.channel === "email") expect(c.emailMarketingState).toBe("SUBSCRIBED");
            if (d.channel === "sms") expect(c.smsMarketingState).toBe("SUBSCRIBED");
            if (d.channel === "webhook")
              expect([c.emailMarketingState, c.smsMarketingState]).toContain("SUBSCRIBED");
            expect(s.some((x) => x.channel === d.channel || x.channel === "all")).toBe(false);
          }
        },
      ),
    );
  });
});
