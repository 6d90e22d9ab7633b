import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_ATTRIBUTION_WINDOWS as windows } from "../../campaigns/settings/attribution-windows";
import { attributeOrder, type OrderToAttribute, type SentTouch } from "./attribute-order";

const at = (iso: string) => new Date(`${iso}Z`);
const noLanding = { source: null, medium: null, campaign: null, content: null };
const order = (over: Partial<OrderToAttribute> = {}): OrderToAttribute => ({
  createdAt: at("2026-12-05T12:00:00"),
  cancelled: false,
  test: false,
  discountCodes: [],
  landing: noLanding,
  ...over,
});
const touch = (id: string, over: Partial<SentTouch> = {}): SentTouch => ({
  outboxId: id,
  campaignId: "c_bfcm",
  channel: "email",
  sendKey: "launch",
  utmCampaign: "bfcm-2026:vip",
  sentAt: at("2026-11-28T09:00:00"),
  discountCode: null,
  lastHumanClickAt: null,
  ...over,
});

describe("attributeOrder", () => {
  it("credits the last human click within the channel's window", () => {
    const touches = [
      touch("m_a", { lastHumanClickAt: at("2026-12-01T10:00:00") }),
      touch("m_b", { campaignId: "c_xmas", lastHumanClickAt: at("2026-12-03T08:00:00") }),
    ];
    expect(attributeOrder(order(), touches, windows)).toEqual({
      outboxId: "m_b",
      campaignId: "c_xmas",
      model: "click",
      touchAt: at("2026-12-03T08:00:00"),
    });
  });

  it("counts an email click up to 5 days back and a text click up to 24 hours", () => {
    const email = touch("m_e", { lastHumanClickAt: at("2026-11-30T12:00:00") }); // exactly 120 h
    expect(attributeOrder(order(), [email], windows)?.model).toBe("click");
    const late = touch("m_e", { lastHumanClickAt: at("2026-11-30T11:59:59") });
    expect(attributeOrder(order(), [late], windows)).toBeNull();
    const sms = touch("m_s", { channel: "sms", lastHumanClickAt: at("2026-12-04T11:00:00") }); // 25 h
    expect(attributeOrder(order(), [sms], windows)).toBeNull();
    expect(attributeOrder(order(), [sms], { ...windows, smsClickHours: 48 })?.outboxId).toBe("m_s");
  });

  it("ignores clicks after the order and messages sent after it", () => {
    const after = touch("m_a", { lastHumanClickAt: at("2026-12-05T12:00:01") });
    const sentLater = touch("m_l", { sentAt: at("2026-12-06T00:00:00"), discountCode: "VIP20" });
    expect(attributeOrder(order({ discountCodes: ["VIP20"] }), [after, sentLater], windows)).toBeNull();
  });

  it("falls back to a discount code the message carried, whatever its case", () => {
    const coded = touch("m_c", { discountCode: "VIP20", sentAt: at("2026-11-20T09:00:00") });
    expect(attributeOrder(order({ discountCodes: ["vip20 "] }), [coded, touch("m_x")], windows)).toEqual({
      outboxId: "m_c",
      campaignId: "c_bfcm",
      model: "discount_code",
      touchAt: at("2026-11-20T09:00:00"),
    });
    const stale = touch("m_c", { discountCode: "VIP20", sentAt: at("2026-10-01T09:00:00") });
    expect(attributeOrder(order({ discountCodes: ["VIP20"] }), [stale], windows)).toBeNull();
  });

  it("falls back to a landing UTM that names a send the customer was sent", () => {
    const landing = {
      source: "holiday-segments",
      medium: "email",
      campaign: "bfcm-2026:vip",
      content: "launch",
    };
    expect(attributeOrder(order({ landing }), [touch("m_u")], windows)?.model).toBe("utm");
    expect(
      attributeOrder(order({ landing: { ...landing, content: "reminder" } }), [touch("m_u")], windows),
    ).toBeNull();
    expect(
      attributeOrder(order({ landing: { ...landing, source: "newsletter" } }), [touch("m_u")], windows),
    ).toBeNull();
    expect(
      attributeOrder(order({ landing: { ...landing, medium: "sms" } }), [touch("m_u")], windows),
    ).toBeNull();
  });

  it("prefers a click over a code over a UTM", () => {
    const landing = {
      source: "holiday-segments",
      medium: null,
      campaign: "bfcm-2026:vip",
      content: "launch",
    };
    const touches = [
      touch("m_u"),
      touch("m_c", { campaignId: "c_code", discountCode: "VIP20" }),
      touch("m_k", { campaignId: "c_click", lastHumanClickAt: at("2026-12-04T12:00:00") }),
    ];
    expect(attributeOrder(order({ landing, discountCodes: ["VIP20"] }), touches, windows)?.campaignId).toBe(
      "c_click",
    );
    expect(
      attributeOrder(order({ landing, discountCodes: ["VIP20"] }), touches.slice(0, 2), windows)?.campaignId,
    ).toBe("c_code");
  });

  it("credits nothing for a cancelled or test order", () => {
    const touches = [touch("m_a", { lastHumanClickAt: at("2026-12-05T11:00:00") })];
    expect(attributeOrder(order({ cancelled: true }), touches, windows)).toBeNull();
    expect(attributeOrder(order({ test: true }), touches, windows)).toBeNull();
  });

  const arbitraryTouch = fc.record({
    outboxId: fc.constantFrom("m_1", "m_2", "m_3", "m_4"),
    campaignId: fc.constantFrom("c_1", "c_2"),
    channel: fc.constantFrom("email", "sms", "webhook"),
    sendKey: fc.constantFrom("launch", "reminder"),
    utmCampaign: fc.constantFrom("bfcm", "xmas"),
    sentAt: fc.date({ min: at("2026-11-01T00:00:00"), max: at("2026-12-10T00:00:00"), noInvalidDate: true }),
    discountCode: fc.option(fc.constantFrom("A", "B")),
    lastHumanClickAt: fc.option(
      fc.date({ min: at("2026-11-01T00:00:00"), max: at("2026-12-10T00:00:00"), noInvalidDate: true }),
    ),
  });

  it("credits a message sent before the order, and the same one whatever the order of the candidates", () => {
    fc.assert(
      fc.property(
        // message ids are unique, as in the outbox
        fc.uniqueArray(arbitraryTouch, { maxLength: 4, selector: (t) => t.outboxId }),
        fc.constantFrom([], ["A"], ["B", "A"]),
        (touches, codes) => {
          const o = order({ discountCodes: codes });
          const credited = attributeOrder(o, touches, windows);
          expect(attributeOrder(o, [...touches].reverse(), windows)).toEqual(credited);
          if (!credited) return;
          const source = touches.find((t) => t.outboxId === credited.outboxId);
          expect(source).toBeDefined();
          expect(credited.touchAt.getTime()).toBeLessThanOrEqual(o.createdAt.getTime());
          if (credited.model === "click") expect(["email", "sms"]).toContain(source?.channel);
        },
      ),
    );
  });
});
