import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  classifyHttpStatus,
  classifySmtpError,
  isHardRecipientBounce,
  parseRetryAfter,
  sanitizeReason,
  twilioErrorSuppression,
} from "./classify";
import { Limiter } from "./limiter";
import { isValidIdempotencyKey, precheck, type OutboundMessage } from "./types";

const smtpError = (fields: Record<string, unknown>, message = "boom") =>
  Object.assign(new Error(message), fields);

describe("sanitizeReason (the app's own texts that name what a merchant typed)", () => {
  it("drops emails and phone numbers but keeps error codes", () => {
    expect(sanitizeReason("550 5.1.1 <jane.doe@example.com>: Recipient address rejected")).toBe(
      "550 5.1.1 <[email]>: Recipient address rejected",
    );
    expect(
      sanitizeReason("Twilio 21211: The 'To' number +1 (555) 010-2030 is not a valid phone number."),
    ).toBe("Twilio 21211: The 'To' number [phone] is not a valid phone number.");
    expect(sanitizeReason("connect ECONNREFUSED 127.0.0.1:2525")).toBe("connect ECONNREFUSED 127.0.0.1:2525");
  });
  it("is one bounded line", () => {
    const reason = sanitizeReason(`line one\r\nline\ttwo ${"x".repeat(1000)}`);
    expect(reason.startsWith("line one line two x")).toBe(true);
    expect(reason.length).toBe(300);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-27T10:00:00Z");
  it("reads seconds and HTTP dates, capped at a day", () => {
    expect(parseRetryAfter("7", now)).toBe(7000);
    expect(parseRetryAfter("Fri, 27 Nov 2026 10:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Fri, 27 Nov 2026 09:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("999999", now)).toBe(24 * 3600_000);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe("classifyHttpStatus", () => {
  it("retries 408, 429 and 5xx, honouring Retry-After", () => {
    expect(classifyHttpStatus(429, "Twilio 20429 (too many requests)", 2000)).toEqual({
      status: "retry",
      reason: "Twilio 20429 (too many requests)",
      retryAfterMs: 2000,
    });
    expect(classifyHttpStatus(503, "HTTP 503 (unavailable)")).toEqual({
      status: "retry",
      reason: "HTTP 503 (unavailable)",
    });
    expect(classifyHttpStatus(500, "HTTP 500 (server error)").status).toBe("retry");
    expect(classifyHttpStatus(408, "HTTP 408 (request timeout)").status).toBe("retry");
  });
  it("fails other 4xx for good", () => {
    expect(classifyHttpStatus(400, "Twilio 21211 (invalid number)")).toEqual({
      status: "failed",
      reason: "Twilio 21211 (invalid number)",
    });
    expect(classifyHttpStatus(401, "HTTP 401 (unauthorized)").status).toBe("failed");
  });
});

describe("classifySmtpError", () => {
  it("retries 4xx replies and connection trouble, fails 5xx rejections; keeps codes and class, never the server's words", () => {
    expect(
      classifySmtpError(smtpError({ code: "EMESSAGE", responseCode: 451, response: "451 Try again later" })),
    ).toEqual({ status: "retry", reason: "SMTP 451 (local error)" });
    expect(
      classifySmtpError(
        smtpError({ code: "EENVELOPE", responseCode: 550, response: "550 <a@b.example> unknown user" }),
      ),
    ).toEqual({ status: "failed", reason: "SMTP 550 (mailbox unavailable)" });
    expect(
      classifySmtpError(smtpError({ code: "EMESSAGE", responseCode: 503, response: "503 Bad sequence" })),
    ).toEqual({ status: "retry", reason: "SMTP 503 (bad sequence of commands)" });
    expect(
      classifySmtpError(
        smtpError({ code: "ESOCKET", originalCode: "ECONNREFUSED" }, "connect ECONNREFUSED 127.0.0.1:1"),
      ),
    ).toEqual({ status: "retry", reason: "connection refused (ECONNREFUSED)" });
    expect(classifySmtpError(smtpError({ code: "EABORT" }, "aborted"), 5000)).toEqual({
      status: "retry",
      reason: "timeout (no answer within 5000 ms)",
    });
    expect(classifySmtpError(smtpError({ code: "EENVELOPE" }, "No recipients defined"))).toEqual({
      status: "failed",
      reason: "SMTP EENVELOPE (envelope refused)",
    });
    expect(classifySmtpError(smtpError({ code: "EAUTH" }, "Invalid login: secret words"))).toEqual({
      status: "failed",
      reason: "SMTP EAUTH (login refused)",
    });
    expect(classifySmtpError("weird")).toEqual({ status: "retry", reason: "connection failed" });
  });

  it("names a certificate the server should not have presented, by node's code, never by its text", () => {
    // nodemailer keeps the socket's code as originalCode under its own ESOCKET
    const mismatch = smtpError(
      { code: "ESOCKET", originalCode: "ERR_TLS_CERT_ALTNAME_INVALID" },
      "Hostname/IP does not match certificate's altnames: Host: mail.example.com. is not in the cert's altnames: DNS:evil.example",
    );
    expect(classifySmtpError(mismatch)).toEqual({
      status: "retry",
      reason: "TLS certificate not valid for the host name (ERR_TLS_CERT_ALTNAME_INVALID)",
    });
    expect(
      classifySmtpError(
        smtpError(
          { code: "ESOCKET", originalCode: "DEPTH_ZERO_SELF_SIGNED_CERT" },
          "self-signed certificate",
        ),
      ),
    ).toEqual({ status: "retry", reason: "TLS certificate not trusted (DEPTH_ZERO_SELF_SIGNED_CERT)" });
    // a wrapper that dropped the code: node's own message still tells which
    expect(
      classifySmtpError(smtpError({ code: "ETLS" }, "Error initiating TLS - certificate has expired")),
    ).toEqual({ status: "retry", reason: "TLS certificate expired (ETLS)" });
  });
});

describe("hard bounces at RCPT TO", () => {
  const rcpt = (responseCode: number, response: string, command = "RCPT TO") =>
    classifySmtpError(smtpError({ code: "EENVELOPE", responseCode, response, command }));

  it("suppresses a mailbox that does not exist, as real servers word it", () => {
    for (const reply of [
      "550 5.1.1 <jane@example.com>: Recipient address rejected: User unknown in local recipient table",
      "550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n550-5.1.1 double-checking",
      "550 Requested action not taken: mailbox unavailable",
      "551 User not local; please try <forward@example.com>",
      "553 5.1.3 <jane@@example.com>: Recipient address rejected: bad address syntax",
      "553 mailbox name not allowed",
      "554 5.1.1 <x@y.example>: unknown user",
      "550 5.2.1 The email account that you tried to reach is disabled",
      "550 5.1.10 Recipient address has null MX",
    ]) {
      const code = Number(reply.slice(0, 3));
      expect(rcpt(code, reply), reply).toMatchObject({ status: "failed", suppress: "bounced" });
    }
  });

  it("does not suppress on policy, a full mailbox, our sender, or another command's 5xx", () => {
    for (const reply of [
      "554 5.7.1 <jane@example.com>: Relay access denied",
      "550 5.7.1 Unable to relay",
      "550 5.7.26 Unauthenticated email from example.com is not accepted due to DMARC policy",
      "552 5.2.2 The email account that you tried to reach is over quota",
      "550 5.1.0 <shop@example.com>: Sender address rejected: User unknown",
      "553 5.1.8 <shop@example.com>: Sender address rejected: Domain not found",
      "550 Relaying denied",
      "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)",
      "550 blocked by 5.1.1.4 rules",
      "550 Message rejected: your IP is on a blocklist",
      "554 Transaction failed",
      "552 Requested mail action aborted: exceeded storage allocation",
    ]) {
      const result = rcpt(Number(reply.slice(0, 3)), reply);
      expect(result.status, reply).toBe("failed");
      expect(result, reply).not.toHaveProperty("suppress");
    }
    expect(rcpt(550, "550 5.1.1 user unknown", "DATA")).not.toHaveProperty("suppress");
    expect(rcpt(550, "550 5.1.1 user unknown", "MAIL FROM")).not.toHaveProperty("suppress");
    expect(
      classifySmtpError(smtpError({ code: "EENVELOPE", responseCode: 550, response: "550 5.1.1 x" })),
    ).not.toHaveProperty("suppress");
  });

  const neutralText = fc
    .array(fc.constantFrom("user", "unknown", "mailbox", "unavailable", "no", "such", "<a@b.example>", ":"), {
      maxLength: 8,
    })
    .map((words) => words.join(" "));
  const gone = fc.constantFrom("5.1.1", "5.1.2", "5.1.3", "5.1.6", "5.1.10", "5.2.1");

  it("any 550/551/553 at RCPT TO, or any 5xx with a gone-mailbox code, is a bounce", () => {
    fc.assert(
      fc.property(fc.constantFrom(550, 551, 553), neutralText, (code, text) => {
        expect(rcpt(code, `${code} ${text}`)).toMatchObject({ status: "failed", suppress: "bounced" });
      }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 500, max: 599 }).filter((c) => c !== 503),
        gone,
        neutralText,
        (code, enhanced, text) => {
          expect(rcpt(code, `${code} ${enhanced} ${text}`)).toMatchObject({ suppress: "bounced" });
        },
      ),
    );
  });

  it("a 4xx never suppresses, whatever it says, and neither does any 5.7.x policy code", () => {
    fc.assert(
      fc.property(fc.integer({ min: 400, max: 499 }), fc.string({ maxLength: 80 }), (code, text) => {
        const result = rcpt(code, `${code} ${text}`);
        expect(result.status).toBe("retry");
        expect(isHardRecipientBounce(code, `${code} 5.1.1 ${text}`)).toBe(false);
      }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 500, max: 599 }),
        fc.integer({ min: 0, max: 30 }),
        fc.string({ maxLength: 80 }),
        (code, detail, text) => {
          expect(rcpt(code, `${code} 5.7.${detail} ${text}`)).not.toHaveProperty("suppress");
        },
      ),
    );
  });
});

describe("twilioErrorSuppression", () => {
  it("maps STOP to unsubscribed and the codes naming a bad number to bounced, nothing else", () => {
    expect(twilioErrorSuppression(21610)).toBe("unsubscribed");
    for (const code of [21211, 21614, 30003, 30005, 30006])
      expect(twilioErrorSuppression(code)).toBe("bounced");
    for (const code of [undefined, 20003, 20429, 21408, 21612, 30007, 30008])
      expect(twilioErrorSuppression(code)).toBeUndefined();
  });
});

describe("precheck", () => {
  const message: OutboundMessage = {
    idempotencyKey: "c1:cust-9:email",
    to: "a@b.example",
    content: { channel: "sms", body: "hi" },
    metadata: { shop: "s.myshopify.com", campaignId: "c1", customerId: "9" },
  };
  it("refuses bad keys and content for another channel", () => {
    expect(isValidIdempotencyKey("c1:9:sms")).toBe(true);
    expect(isValidIdempotencyKey("bad key\r\n")).toBe(false);
    expect(precheck({ ...message, idempotencyKey: "a b" }, "sms")).toMatchObject({
      ok: false,
      result: { status: "failed" },
    });
    expect(precheck(message, "email")).toMatchObject({
      ok: false,
      result: { reason: "a sms message sent to the email channel" },
    });
    expect(precheck(message, "sms").ok).toBe(true);
  });
});

describe("Limiter", () => {
  it("never runs more than its bound and runs everything", async () => {
    const limiter = new Limiter(3);
    let active = 0;
    let peak = 0;
    const done = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limiter.run(async () => {
          active += 1;
          peak = Math.max(peak, active);
          await new Promise((resolve) => setTimeout(resolve, i % 3));
          active -= 1;
          return i;
        }),
      ),
    );
    expect(done).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(peak).toBe(3);
    expect(limiter.pending).toBe(0);
  });
});
