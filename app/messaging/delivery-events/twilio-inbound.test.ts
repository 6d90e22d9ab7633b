import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  escapeXml,
  helpReply,
  normalizePhone,
  smsFrequencyText,
  twiml,
  TwilioInboundMessage,
  twilioInboundUrl,
  TWILIO_INBOUND_PATH,
} from "./twilio-inbound";

describe("twilioInboundUrl", () => {
  it("names the shop under the app's URL", () => {
    const url = new URL(twilioInboundUrl("https://app.example.com/", "a.myshopify.com"));
    expect(url.origin + url.pathname).toBe(`https://app.example.com${TWILIO_INBOUND_PATH}`);
    expect(Object.fromEntries(url.searchParams)).toEqual({ shop: "a.myshopify.com" });
  });
});

describe("TwilioInboundMessage", () => {
  it("reads From, To, Body and OptOutType; a message without a sender is not one", () => {
    expect(
      TwilioInboundMessage.parse({ From: "+15551230001", To: "+15005550006", Body: "STOP", NumMedia: "0" }),
    ).toEqual({ From: "+15551230001", To: "+15005550006", Body: "STOP" });
    expect(TwilioInboundMessage.parse({ From: "+1555", To: "+1500", OptOutType: "STOP" })).toMatchObject({
      Body: "",
      OptOutType: "STOP",
    });
    expect(TwilioInboundMessage.safeParse({ To: "+15005550006", Body: "STOP" }).success).toBe(false);
  });
});

describe("normalizePhone", () => {
  it("gives the E.164 form of the ways a number is written, or nothing", () => {
    expect(normalizePhone("+15551230001")).toBe("+15551230001");
    expect(normalizePhone(" +1 (555) 123-0001 ")).toBe("+15551230001");
    expect(normalizePhone("+44 20.7946.0958")).toBe("+442079460958");
    expect(normalizePhone("0044 20 7946 0958")).toBe("+442079460958");
    expect(normalizePhone("5551230001")).toBeUndefined(); // no country: not guessed
    expect(normalizePhone("+0123456789")).toBeUndefined();
    expect(normalizePhone("+1555abc0001")).toBeUndefined();
    expect(normalizePhone("")).toBeUndefined();
    expect(normalizePhone(null)).toBeUndefined();
  });

  it("keeps every E.164 number as it is, however it is spaced", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\+[1-9]\d{6,14}$/), fc.constantFrom(" ", "-", "."), (e164, sep) => {
        const spaced = `${e164.slice(0, 2)}${sep}${e164.slice(2, 5)}${sep}${e164.slice(5)}`;
        return normalizePhone(e164) === e164 && normalizePhone(spaced) === e164;
      }),
    );
  });
});

describe("smsFrequencyText", () => {
  it("says how often the shop may text, from the SMS cap", () => {
    expect(smsFrequencyText(24)).toBe("up to 1 msg/day");
    expect(smsFrequencyText(12)).toBe("up to 2 msgs/day");
    expect(smsFrequencyText(8)).toBe("up to 3 msgs/day");
    expect(smsFrequencyText(16)).toBe("at most 1 msg per 16 h");
    expect(smsFrequencyText(48)).toBe("at most 1 msg per 48 h");
    expect(smsFrequencyText(7.5)).toBe("at most 1 msg per 7.5 h");
    expect(smsFrequencyText(null)).toBe("msg frequency varies");
    expect(smsFrequencyText(0)).toBe("msg frequency varies");
  });
});

describe("helpReply", () => {
  it("names the shop, what and how often it texts, and how to stop", () => {
    expect(helpReply({ shopName: "Acme Outdoors", smsCapHours: 24 })).toBe(
      "Acme Outdoors: Holiday offers, up to 1 msg/day. Msg & data rates may apply. Reply STOP to opt out.",
    );
  });

  it("keeps a long or odd shop name to one short line", () => {
    const reply = helpReply({ shopName: `  Ben\n& Jerry's ${"x".repeat(100)}`, smsCapHours: 16 });
    expect(reply).toMatch(/^Ben & Jerry's x+…: Holiday offers, at most 1 msg per 16 h\. /);
    expect([...(reply.split(":")[0] ?? "")].length).toBe(60);
  });
});

const unescape = (xml: string) =>
  xml
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");

describe("twiml", () => {
  it("is an empty response, or one message per reply, escaped", () => {
    expect(twiml()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(twiml([`Ben & Jerry's <Holiday> "Shop"`])).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Ben &amp; Jerry&apos;s &lt;Holiday&gt; &quot;Shop&quot;</Message></Response>',
    );
  });

  it("escapes any text so it reads back the same, without markup or characters XML cannot carry", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const escaped = escapeXml(text);
        const readable = text.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "");
        return (
          !/[<>"']/.test(escaped) &&
          !/&(?!(?:amp|lt|gt|quot|apos);)/.test(escaped) &&
          [...escaped].every((ch) => {
            const code = ch.codePointAt(0) ?? 0;
            return (
              (code >= 0x20 || ch === "\t" || ch === "\n" || ch === "\r") &&
              code !== 0xfffe &&
              code !== 0xffff
            );
          }) &&
          unescape(escaped) === readable
        );
      }),
    );
  });
});
