import { describe, expect, it } from "vitest";
import { isValidIdempotencyKey } from "../channels/types";
import { parseTestRecipient, TEST_PREFIX, TEST_UNSUBSCRIBE_URL, testMessage } from "./test-message";
import { TestSendLimit } from "./test-send-limit";

const meta = { shop: "s.myshopify.com", campaignId: "c1", customerId: "sample" };

describe("parseTestRecipient", () => {
  it("takes one email address", () => {
    expect(parseTestRecipient("email", "  me@shop.example ")).toEqual({ ok: true, to: "me@shop.example" });
    for (const bad of ["", "me", "me@", "a@x.io, b@y.io", "a@x.io;b@y.io", "<a@x.io>", "a b@x.io", 42, null])
      expect(parseTestRecipient("email", bad)).toEqual({
        ok: false,
        message: "Enter one email address to send the test to, e.g. you@example.com",
      });
  });
  it("takes an E.164 phone number, written with spaces or dashes", () => {
    expect(parseTestRecipient("sms", "+1 (555) 123-4567")).toEqual({ ok: true, to: "+15551234567" });
    expect(parseTestRecipient("sms", "+447911123456")).toEqual({ ok: true, to: "+447911123456" });
    for (const bad of [
      "5551234567",
      "+0 555 123",
      "+1555",
      "+1555123456789012",
      "+1555abc4567",
      "me@shop.example",
      undefined,
    ])
      expect(parseTestRecipient("sms", bad)).toMatchObject({
        ok: false,
        message: expect.stringMatching(/E\.164/),
      });
  });
});

describe("testMessage", () => {
  it("marks the subject and the SMS as a test and carries no List-Unsubscribe headers", () => {
    const email = testMessage(
      { channel: "email", subject: "Sale", html: `<a href="${TEST_UNSUBSCRIBE_URL}">u</a>`, text: "t" },
      "me@x.io",
      "test:1",
      meta,
    );
    expect(email).toEqual({
      idempotencyKey: "test:1",
      to: "me@x.io",
      content: {
        channel: "email",
        subject: "[Test] Sale",
        html: `<a href="${TEST_UNSUBSCRIBE_URL}">u</a>`,
        text: "t",
      },
      metadata: meta,
    });
    expect(
      testMessage(
        { channel: "sms", body: "Hi", sms: { encoding: "GSM-7", characters: 2, segments: 1 } },
        "+15551234567",
        "test:2",
        meta,
      ).content,
    ).toEqual({
      channel: "sms",
      body: `${TEST_PREFIX}Hi`,
    });
    expect(new URL(TEST_UNSUBSCRIBE_URL).hostname).toBe("example.com");
    expect(isValidIdempotencyKey(`test:${crypto.randomUUID()}`)).toBe(true);
  });
});

describe("TestSendLimit", () => {
  it("allows 10 test sends per shop in any hour", () => {
    const limit = new TestSendLimit();
    const t0 = 1_000_000;
    for (let i = 0; i < 10; i++) expect(limit.take("a", t0 + i * 60_000)).toEqual({ ok: true });
    expect(limit.take("a", t0 + 10 * 60_000)).toEqual({ ok: false, retryInMs: 50 * 60_000 });
    expect(limit.take("b", t0 + 10 * 60_000)).toEqual({ ok: true });
    // the first slot frees an hour after it was taken, the next a minute later
    expect(limit.take("a", t0 + 3_599_999)).toEqual({ ok: false, retryInMs: 1 });
    expect(limit.take("a", t0 + 3_600_000)).toEqual({ ok: true });
    expect(limit.take("a", t0 + 3_600_001)).toEqual({ ok: false, retryInMs: 60_000 - 1 });
  });
});
