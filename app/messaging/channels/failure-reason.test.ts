import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  connectionReason,
  enhancedStatusCode,
  httpStatusReason,
  smtpCodesReason,
  smtpReplyReason,
  tlsProblem,
  twilioErrorReason,
} from "./failure-reason";

// The oracle is the RFCs' and Twilio's published meanings, worked by hand per fixture, and a
// grammar: whatever a server says, a reason is codes plus words from the app's own short list.

const CLASS = "[a-z][a-zA-Z ]*";
// Server text: random strings mixed with what real replies carry (codes, addresses, numbers).
const serverText = fc
  .array(
    fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom(
        "5.1.1",
        "4.7.1",
        "5.7.26",
        "(#5.7.1)",
        "550",
        "<jane@example.com>",
        "+1 555 010 2030",
        "5.1.1.4",
      ),
    ),
    { maxLength: 10 },
  )
  .map((parts) => parts.join(" "));

const SMTP_REASON = new RegExp(`^SMTP \\d{3}(?: [245]\\.\\d{1,3}\\.\\d{1,3})? \\(${CLASS}\\)$`);

describe("smtpReplyReason", () => {
  it("names real servers' replies by their codes (RFC 5321 reply, RFC 3463 enhanced code)", () => {
    const cases: Array<[number, string, string]> = [
      [
        550,
        "550 5.1.1 <jane@example.com>: Recipient address rejected: User unknown in local recipient table",
        "SMTP 550 5.1.1 (mailbox unavailable)",
      ],
      [
        550,
        "550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n550-5.1.1 double-checking",
        "SMTP 550 5.1.1 (mailbox unavailable)",
      ],
      [550, "550 5.1.10 Recipient address has null MX", "SMTP 550 5.1.10 (domain takes no mail)"],
      [
        552,
        "552 5.2.2 The email account that you tried to reach is over quota",
        "SMTP 552 5.2.2 (mailbox full)",
      ],
      [
        550,
        "550 5.2.1 The email account that you tried to reach is disabled",
        "SMTP 550 5.2.1 (mailbox disabled)",
      ],
      [535, "535 5.7.8 Username and Password not accepted", "SMTP 535 5.7.8 (authentication failed)"],
      [554, "554 5.7.1 <jane@example.com>: Relay access denied", "SMTP 554 5.7.1 (not authorised by policy)"],
      [451, "451 4.7.1 Greylisted, try again later", "SMTP 451 4.7.1 (not authorised by policy)"],
      [
        550,
        "550 5.7.26 Unauthenticated email from example.com is not accepted due to DMARC policy",
        "SMTP 550 5.7.26 (refused by policy)",
      ],
      [421, "421 4.4.2 mx.example.com Error: timeout exceeded", "SMTP 421 4.4.2 (connection dropped)"],
      [552, "552 5.3.4 Message size exceeds fixed limit", "SMTP 552 5.3.4 (message too large)"],
      // qmail puts the enhanced code last
      [
        553,
        "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)",
        "SMTP 553 5.7.1 (not authorised by policy)",
      ],
      // without an enhanced code: the reply code's meaning
      [550, "550 Requested action not taken: mailbox unavailable", "SMTP 550 (mailbox unavailable)"],
      [551, "551 User not local; please try <forward@example.com>", "SMTP 551 (user not local)"],
      [553, "553 mailbox name not allowed", "SMTP 553 (mailbox name not allowed)"],
      [554, "554 Transaction failed", "SMTP 554 (transaction failed)"],
      [503, "503 Bad sequence of commands", "SMTP 503 (bad sequence of commands)"],
      [421, "421 Service not available, closing transmission channel", "SMTP 421 (service not available)"],
      // a dotted number that is not an enhanced code (four parts) is not read as one
      [550, "550 blocked by 5.1.1.4 rules", "SMTP 550 (mailbox unavailable)"],
      [599, "599 something new", "SMTP 599 (permanent failure)"],
      [499, "499 something new", "SMTP 499 (temporary failure)"],
      [354, "354 go ahead", "SMTP 354 (unexpected reply)"],
      // leading zeros dropped; a detail the table does not name falls back to its subject
      [550, "550 5.01.001 user unknown", "SMTP 550 5.1.1 (mailbox unavailable)"],
      [550, "550 5.6.0 content rejected", "SMTP 550 5.6.0 (content refused)"],
      [550, "550 5.9.9 what", "SMTP 550 5.9.9 (other)"],
    ];
    for (const [code, reply, reason] of cases) expect(smtpReplyReason(code, reply), reply).toBe(reason);
  });

  it("is codes and the app's own words whatever the server says (no address, number or text of its own)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 999 }), serverText, (code, text) => {
        const reason = smtpReplyReason(code, `${code} ${text}`);
        expect(reason).toMatch(SMTP_REASON);
        expect(reason).not.toMatch(/@|\+\d/);
      }),
    );
  });
});

describe("smtpCodesReason (an email provider's bounce detail)", () => {
  it("keeps only the codes it finds", () => {
    expect(smtpCodesReason("550 5.1.1 user unknown")).toBe("SMTP 550 5.1.1 (mailbox unavailable)");
    expect(smtpCodesReason("5.1.1 <jane@example.com> user unknown")).toBe("SMTP 5.1.1 (mailbox unavailable)");
    expect(smtpCodesReason("smtp; 552 5.2.2 over quota")).toBe("SMTP 5.2.2 (mailbox full)");
    expect(smtpCodesReason("550")).toBe("SMTP 550 (mailbox unavailable)");
    expect(smtpCodesReason("user jane@example.com unknown")).toBeUndefined();
    expect(smtpCodesReason("Mailbox 5505 full, call +1 555 010 2030")).toBeUndefined();
  });
  it("never returns anything but codes and the app's words", () => {
    fc.assert(
      fc.property(serverText, (text) => {
        const reason = smtpCodesReason(text);
        if (reason !== undefined)
          expect(reason).toMatch(
            new RegExp(
              `^SMTP (?:[245]\\d\\d(?: [245]\\.\\d{1,3}\\.\\d{1,3})?|[245]\\.\\d{1,3}\\.\\d{1,3}) \\(${CLASS}\\)$`,
            ),
          );
      }),
    );
  });
});

describe("enhancedStatusCode", () => {
  it("reads RFC 3463 codes after the reply code or last in qmail's form", () => {
    expect(enhancedStatusCode("550 5.1.1 no")).toBe("5.1.1");
    expect(enhancedStatusCode("550-5.1.10 no")).toBe("5.1.10");
    expect(enhancedStatusCode("553 no (#5.7.1)")).toBe("5.7.1");
    expect(enhancedStatusCode("550 version 1.2.3 is old")).toBeUndefined();
    expect(enhancedStatusCode("550 5.1.1.4")).toBeUndefined();
  });
});

describe("twilioErrorReason", () => {
  it("names the codes of Twilio's error dictionary a send or report carries", () => {
    expect(twilioErrorReason(21211, 400)).toBe("Twilio 21211 (invalid number)");
    expect(twilioErrorReason(21610, 400)).toBe("Twilio 21610 (recipient replied STOP)");
    expect(twilioErrorReason(21614, 400)).toBe("Twilio 21614 (not a mobile number)");
    expect(twilioErrorReason(20003, 401)).toBe("Twilio 20003 (authentication failed)");
    expect(twilioErrorReason(20429, 429)).toBe("Twilio 20429 (too many requests)");
    expect(twilioErrorReason(30003)).toBe("Twilio 30003 (unreachable handset)");
    expect(twilioErrorReason(30005)).toBe("Twilio 30005 (unknown number)");
    expect(twilioErrorReason(30006)).toBe("Twilio 30006 (landline or unreachable carrier)");
    expect(twilioErrorReason(30007)).toBe("Twilio 30007 (filtered as spam)");
    // a code without a name here: its HTTP status, or just "error"
    expect(twilioErrorReason(21999, 400)).toBe("Twilio 21999 (HTTP 400)");
    expect(twilioErrorReason(39999)).toBe("Twilio 39999 (error)");
  });
});

describe("httpStatusReason", () => {
  it("is the status and its name", () => {
    expect(httpStatusReason(403)).toBe("HTTP 403 (forbidden)");
    expect(httpStatusReason(429)).toBe("HTTP 429 (too many requests)");
    expect(httpStatusReason(418)).toBe("HTTP 418");
  });
});

describe("connectionReason", () => {
  it("names the trouble and node's code, never node's message", () => {
    const altnames =
      "Hostname/IP does not match certificate's altnames: Host: hooks.example.com. is not in the cert's altnames: DNS:secret-internal.example";
    expect(connectionReason("tls", "ERR_TLS_CERT_ALTNAME_INVALID", { message: altnames })).toBe(
      "TLS certificate not valid for the host name (ERR_TLS_CERT_ALTNAME_INVALID)",
    );
    expect(connectionReason("tls", "DEPTH_ZERO_SELF_SIGNED_CERT")).toBe(
      "TLS certificate not trusted (DEPTH_ZERO_SELF_SIGNED_CERT)",
    );
    expect(connectionReason("tls", "UNABLE_TO_VERIFY_LEAF_SIGNATURE")).toBe(
      "TLS certificate not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE)",
    );
    expect(connectionReason("tls", "CERT_HAS_EXPIRED")).toBe("TLS certificate expired (CERT_HAS_EXPIRED)");
    expect(connectionReason("tls", "ERR_SSL_WRONG_VERSION_NUMBER")).toBe(
      "TLS handshake failed (ERR_SSL_WRONG_VERSION_NUMBER)",
    );
    expect(connectionReason("refused", "ECONNREFUSED")).toBe("connection refused (ECONNREFUSED)");
    expect(connectionReason("dns", "ENOTFOUND")).toBe("host not found (ENOTFOUND)");
    expect(connectionReason("timeout", "ETIMEDOUT", { timeoutMs: 10_000 })).toBe(
      "timeout (no answer within 10000 ms)",
    );
    expect(connectionReason("network", "ECONNRESET")).toBe("connection failed (ECONNRESET)");
    // a "code" that is not one (a server can put anything in an error field) is left out
    expect(connectionReason("network", "jane@example.com")).toBe("connection failed");
  });

  it("reads a certificate problem from node's message when a wrapper dropped the code", () => {
    expect(tlsProblem("ESOCKET", "Hostname/IP does not match certificate's altnames: Host: a.")).toBe(
      "certificate not valid for the host name",
    );
    expect(tlsProblem(undefined, "self-signed certificate in certificate chain")).toBe(
      "certificate not trusted",
    );
    expect(tlsProblem(undefined, "unable to get local issuer certificate")).toBe("certificate not trusted");
    expect(tlsProblem(undefined, "certificate has expired")).toBe("certificate expired");
    expect(tlsProblem("ETLS", "wrong version number")).toBe("handshake failed");
  });
});
