import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { redactSettings } from "../channels/redact";
import type { ChannelSettings } from "../channels/settings";
import { fieldOfTestError, testErrorText } from "./channels";
import { initialValues, parseChannelForm, parseRate, SAME_AS_PASSWORD } from "./form";

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
};

const SID = `AC${"ab".repeat(16)}`;
const twilio: ChannelSettings = {
  kind: "twilio",
  accountSid: SID,
  authToken: "old-token-123",
  fromNumber: "+15551234567",
  baseUrl: "https://user:pw@proxy.example.com/twilio?key=abc",
};
const smtp: ChannelSettings = {
  kind: "smtp",
  host: "smtp.example.com",
  port: 587,
  security: "starttls",
  user: "token-1",
  password: "token-1",
  fromAddress: "shop@example.com",
  poolSize: 5,
};

describe("parseChannelForm", () => {
  it("reads a complete form into settings and a rate", () => {
    const parsed = parseChannelForm(
      "webhook",
      form({ url: " https://hooks.example.com/in ", signingSecret: "0123456789abcdef", ratePerSecond: "20" }),
    );
    expect(parsed).toEqual({
      ok: true,
      settings: { kind: "webhook", url: "https://hooks.example.com/in", signingSecret: "0123456789abcdef" },
      ratePerSecond: 20,
    });
  });

  it("keeps stored secrets and URLs that come back as they were shown", () => {
    const shown = initialValues("sms", redactSettings(twilio), 10);
    expect(shown.authToken).toBe("");
    expect(shown.baseUrl).toBe("https://proxy.example.com/twilio?…");
    const parsed = parseChannelForm("sms", form(shown), twilio);
    expect(parsed).toEqual({ ok: true, settings: twilio, ratePerSecond: 10 });

    const changed = parseChannelForm(
      "sms",
      form({ ...shown, authToken: "new-token", baseUrl: "https://api.twilio.com" }),
      twilio,
    );
    expect(changed).toMatchObject({
      ok: true,
      settings: { authToken: "new-token", baseUrl: "https://api.twilio.com" },
    });
  });

  it("takes the SMTP user shown as the password at its word", () => {
    const shown = initialValues("email", redactSettings(smtp), 50);
    expect(shown.user).toBe(SAME_AS_PASSWORD);
    expect(parseChannelForm("email", form(shown), smtp)).toMatchObject({ ok: true, settings: smtp });
    expect(parseChannelForm("email", form({ ...shown, password: "token-2" }), smtp)).toMatchObject({
      ok: true,
      settings: { user: "token-2", password: "token-2" },
    });
  });

  it("keeps the stored bounce and complaint secret when left blank, and checks a new one", () => {
    const stored: ChannelSettings = { ...smtp, eventsSecret: "events-secret-0123456789" };
    const shown = initialValues("email", redactSettings(stored), 50);
    expect(shown.eventsSecret).toBe("");
    expect(parseChannelForm("email", form(shown), stored)).toMatchObject({ ok: true, settings: stored });
    const replaced = parseChannelForm(
      "email",
      form({ ...shown, eventsSecret: "another-secret-0123" }),
      stored,
    );
    expect(replaced).toMatchObject({ ok: true, settings: { eventsSecret: "another-secret-0123" } });
    const short = parseChannelForm("email", form({ ...shown, eventsSecret: "short" }), stored);
    expect(short).toMatchObject({ ok: false, errors: { eventsSecret: "At least 16 characters" } });
    expect(short.ok ? "" : short.values.eventsSecret).toBe("");
  });

  it("names each bad field and never sends a typed secret back", () => {
    const parsed = parseChannelForm(
      "sms",
      form({ accountSid: "AC123", authToken: "typed-secret", baseUrl: "ftp://x", ratePerSecond: "0" }),
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual({
      accountSid: "Starts with AC and 32 hex digits",
      baseUrl: "Must start with http:// or https://",
      fromNumber: "A from number or a messaging service SID is required",
      ratePerSecond: "Enter a number from 1 to 1000",
    });
    expect(parsed.values.authToken).toBe("");
    expect(JSON.stringify(parsed)).not.toContain("typed-secret");
  });

  it("asks for a secret that was never stored, and refuses another kind's stored settings", () => {
    const values = {
      accountSid: SID,
      authToken: "",
      fromNumber: "+15551234567",
      baseUrl: "https://api.twilio.com",
      ratePerSecond: "1",
    };
    expect(parseChannelForm("sms", form(values))).toMatchObject({
      ok: false,
      errors: { authToken: "Required" },
    });
    expect(parseChannelForm("sms", form(values), smtp)).toMatchObject({
      ok: false,
      errors: { authToken: "Required" },
    });
  });

  it("explains numbers and addresses in words", () => {
    const parsed = parseChannelForm(
      "email",
      form({ host: "", port: "abc", fromAddress: "nope", ratePerSecond: "2.5" }),
    );
    expect(parsed).toMatchObject({
      ok: false,
      errors: {
        host: "Required",
        port: "Enter a whole number in digits only, like 587",
        fromAddress: expect.stringMatching(/email address/),
        ratePerSecond: "Enter a whole number in digits only, like 50",
      },
    });
  });
});

describe("numbers typed into the channel forms", () => {
  const smtpForm = (numbers: { port?: string; poolSize?: string; ratePerSecond?: string }) =>
    form({
      host: "smtp.example.com",
      security: "starttls",
      fromAddress: "shop@example.com",
      port: "587",
      poolSize: "5",
      ratePerSecond: "50",
      ...numbers,
    });

  it("refuses 0x1, 1e1, spaces, signs, leading zeros and fractions by field, never reading them as numbers", () => {
    for (const typed of ["0x1", "1e1", " 25", "25 ", "+25", "025", "2.0", "2,5", "٢٥", "Infinity"]) {
      expect(
        parseChannelForm("email", smtpForm({ port: typed, poolSize: typed, ratePerSecond: typed })),
        typed,
      ).toEqual({
        ok: false,
        errors: {
          port: "Enter a whole number in digits only, like 587",
          poolSize: "Enter a whole number in digits only, like 5",
          ratePerSecond: "Enter a whole number in digits only, like 50",
        },
        values: expect.objectContaining({ port: typed, poolSize: typed, ratePerSecond: typed }),
      });
    }
  });

  it("takes digits, checks the range, and leaves a blank port and pool size to their defaults", () => {
    expect(
      parseChannelForm("email", smtpForm({ port: "2525", poolSize: "10", ratePerSecond: "7" })),
    ).toMatchObject({
      ok: true,
      settings: { port: 2525, poolSize: 10 },
      ratePerSecond: 7,
    });
    expect(parseChannelForm("email", smtpForm({ port: "", poolSize: "" }))).toMatchObject({
      ok: true,
      settings: { port: 587, poolSize: 5 },
    });
    expect(
      parseChannelForm("email", smtpForm({ port: "0", poolSize: "51", ratePerSecond: "1001" })),
    ).toMatchObject({
      ok: false,
      errors: {
        port: "Enter a number of at least 1",
        poolSize: "Enter a number of at most 50",
        ratePerSecond: "Enter a number from 1 to 1000",
      },
    });
  });

  it("a port is read exactly when it is written as a canonical decimal in range", () => {
    const typed = fc.oneof(
      fc.nat({ max: 70_000 }).map(String),
      fc.string({ maxLength: 8 }),
      fc
        .tuple(fc.constantFrom("0x", "0o", "0b", " ", "+", "-", "0", "1e", ".", ""), fc.nat({ max: 999 }))
        .map(([prefix, n]) => `${prefix}${n}`),
    );
    fc.assert(
      fc.property(typed, (port) => {
        const parsed = parseChannelForm("email", smtpForm({ port }));
        // the oracle: the text is what printing its base-10 value gives back
        const canonical = String(Number.parseInt(port, 10)) === port;
        // a field that looks blank is blank: the default port
        if (port.trim() === "") expect(parsed).toMatchObject({ ok: true, settings: { port: 587 } });
        else if (canonical && Number(port) >= 1 && Number(port) <= 65_535)
          expect(parsed).toMatchObject({ ok: true, settings: { port: Number(port) } });
        else expect(parsed).toMatchObject({ ok: false, errors: { port: expect.any(String) } });
      }),
    );
  });
});

describe("rate and test errors", () => {
  it("parses the rate", () => {
    expect(parseRate("30")).toEqual({ value: 30 });
    expect(parseRate(" 30 ")).toEqual({ error: "Enter a whole number in digits only, like 50" });
    expect(parseRate("")).toEqual({ error: "Required" });
    expect(parseRate("1001")).toMatchObject({ error: expect.stringMatching(/1 to 1000/) });
  });
  it("stores a test error with the field's label and finds the field again", () => {
    const text = testErrorText("twilio", "authToken", "Twilio refused the Account SID or Auth Token: 401");
    expect(text).toBe("Auth token: Twilio refused the Account SID or Auth Token: 401");
    expect(fieldOfTestError("twilio", text)).toBe("authToken");
    expect(fieldOfTestError("twilio", "Save the settings first.")).toBeUndefined();
    expect(initialValues("email", null, null)).toMatchObject({
      port: "587",
      security: "starttls",
      ratePerSecond: "50",
    });
  });
});
