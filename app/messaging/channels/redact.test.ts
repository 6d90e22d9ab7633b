import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { displayUrl, redactSettings } from "./redact";
import { ChannelSettings, SmtpSettings, TwilioSettings, WebhookChannelSettings } from "./settings";

// Secrets carry a marker no other generated field can contain, so "the output does not contain
// the secret" is a meaningful check for any generated value.
const secret = fc.string({ minLength: 1, maxLength: 40 }).map((s) => `SECRET${s}`);
const plain = fc.string({ maxLength: 30 }).filter((s) => !s.includes("SECRET"));

type Case = { value: ChannelSettings; secrets: string[] };
const settings: fc.Arbitrary<Case> = fc.oneof(
  fc
    .record({
      host: plain,
      user: fc.option(plain, { nil: undefined }),
      password: fc.option(secret, { nil: undefined }),
      eventsSecret: fc.option(secret, { nil: undefined }),
      tokenAsUser: fc.boolean(),
      port: fc.integer({ min: 1, max: 65535 }),
    })
    .map(({ host, user, password, eventsSecret, tokenAsUser, port }): Case => ({
      value: {
        kind: "smtp",
        host: host || "h",
        port,
        security: "starttls",
        // Postmark-style relays take the token as user name too
        user: tokenAsUser ? password : user,
        password,
        fromAddress: "shop@example.com",
        poolSize: 5,
        eventsSecret,
      },
      secrets: [password, eventsSecret].filter((s): s is string => s !== undefined),
    })),
  fc.record({ token: secret, path: plain }).map(({ token, path }): Case => ({
    value: {
      kind: "twilio",
      accountSid: `AC${"0".repeat(32)}`,
      authToken: token,
      fromNumber: "+15550100000",
      baseUrl: `https://api.example.com/${encodeURIComponent(path)}`,
    },
    secrets: [token],
  })),
  fc.record({ signing: secret, query: secret }).map(({ signing, query }): Case => ({
    // a token in the URL's query or user info is a secret too
    value: {
      kind: "webhook",
      url: `https://user:${encodeURIComponent(query)}@hooks.example.com/catch?token=${encodeURIComponent(query)}`,
      signingSecret: signing,
    },
    secrets: [signing, query, encodeURIComponent(query)],
  })),
);

describe("redactSettings", () => {
  it("never returns a secret, only a set / not set marker", () => {
    fc.assert(
      fc.property(settings, ({ value, secrets }) => {
        const shown = JSON.stringify(redactSettings(value));
        for (const s of secrets) expect(shown).not.toContain(s);
        expect(shown).not.toContain("SECRET");
      }),
    );
  });

  it("marks each secret field", () => {
    expect(
      redactSettings({
        kind: "smtp",
        host: "smtp.example.com",
        port: 587,
        security: "starttls",
        user: "u",
        password: "p",
        fromAddress: "a@example.com",
        poolSize: 5,
      }),
    ).toEqual({
      kind: "smtp",
      host: "smtp.example.com",
      port: 587,
      security: "starttls",
      user: "u",
      password: "set",
      fromAddress: "a@example.com",
      fromName: undefined,
      poolSize: 5,
      eventsSecret: "not set",
    });
    expect(redactSettings({ kind: "webhook", url: "https://x.example/hook", signingSecret: "" })).toEqual({
      kind: "webhook",
      url: "https://x.example/hook",
      signingSecret: "not set",
    });
  });

  it("does not copy fields it does not know", () => {
    const withExtra = {
      kind: "webhook",
      url: "https://x.example/h",
      signingSecret: "s".repeat(20),
      apiKey: "SECRET-extra",
    } as const;
    expect(JSON.stringify(redactSettings(withExtra))).not.toContain("SECRET");
  });

  it("shows URLs without credentials or query", () => {
    expect(displayUrl("https://u:p@hooks.example.com/a/b?token=t#f")).toBe("https://hooks.example.com/a/b?…");
    expect(displayUrl("not a url")).toBe("(invalid URL)");
  });
});

describe("channel settings", () => {
  it("fills defaults and names what is wrong", () => {
    expect(
      SmtpSettings.parse({ kind: "smtp", host: "smtp.example.com", fromAddress: "shop@example.com" }),
    ).toMatchObject({ port: 587, security: "starttls", poolSize: 5 });
    expect(
      TwilioSettings.parse({
        kind: "twilio",
        accountSid: `AC${"a".repeat(32)}`,
        authToken: "t",
        fromNumber: "+15550100000",
      }).baseUrl,
    ).toBe("https://api.twilio.com");
    const noSender = TwilioSettings.safeParse({
      kind: "twilio",
      accountSid: `AC${"a".repeat(32)}`,
      authToken: "t",
    });
    expect(noSender.error?.issues.map((i) => i.path.join("."))).toEqual(["fromNumber"]);
    expect(
      ChannelSettings.safeParse({ kind: "twilio", accountSid: `AC${"a".repeat(32)}`, authToken: "t" })
        .success,
    ).toBe(false);
    expect(
      WebhookChannelSettings.safeParse({
        kind: "webhook",
        url: "ftp://x.example",
        signingSecret: "s".repeat(16),
      }).success,
    ).toBe(false);
    expect(
      WebhookChannelSettings.safeParse({ kind: "webhook", url: "https://x.example", signingSecret: "short" })
        .success,
    ).toBe(false);
  });
});
