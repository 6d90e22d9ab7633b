import { describe, expect, it } from "vitest";
import { messageIdFor } from "../channels/smtp.server";
import {
  EmailEvent,
  emailEventKind,
  emailEventNote,
  emailEventSuppression,
  outboxIdOf,
} from "./email-events";

describe("outboxIdOf", () => {
  it("takes our key, or the Message-ID we sent it in", () => {
    expect(outboxIdOf("m_0123abcd")).toBe("m_0123abcd");
    expect(outboxIdOf(" <m_0123abcd@shop.example> ")).toBe("m_0123abcd");
    expect(outboxIdOf(messageIdFor("m_0123abcd", "shop@mail.example"))).toBe("m_0123abcd");
    expect(outboxIdOf("<a b@c>")).toBeUndefined();
    expect(outboxIdOf("not a key")).toBeUndefined();
  });
});

describe("EmailEvent", () => {
  const parse = (value: unknown) => EmailEvent.safeParse(value);
  it("accepts the documented shape, ignoring fields of its own", () => {
    expect(parse({ type: "bounce", messageId: "m_1", permanent: true, esp: { id: 7 } })).toEqual({
      success: true,
      data: { type: "bounce", messageId: "m_1", permanent: true },
    });
    expect(parse({ type: "delivered", messageId: "m_1" }).success).toBe(true);
    expect(parse({ type: "opened", messageId: "m_1" }).success).toBe(false);
    expect(parse({ type: "bounce" }).success).toBe(false);
    expect(parse({ type: "bounce", messageId: "" }).success).toBe(false);
  });

  it("a permanent bounce suppresses as bounced, a complaint as complained, a soft bounce not at all", () => {
    expect(emailEventSuppression({ type: "bounce", messageId: "m_1" })).toBe("bounced");
    expect(emailEventSuppression({ type: "bounce", messageId: "m_1", permanent: true })).toBe("bounced");
    expect(emailEventSuppression({ type: "bounce", messageId: "m_1", permanent: false })).toBeNull();
    expect(emailEventSuppression({ type: "complaint", messageId: "m_1" })).toBe("complained");
    expect(emailEventSuppression({ type: "delivered", messageId: "m_1" })).toBeNull();
  });

  it("counts a delivery, a permanent bounce and a complaint in results; a soft bounce is no outcome yet", () => {
    expect(emailEventKind({ type: "delivered", messageId: "m_1" })).toBe("delivered");
    expect(emailEventKind({ type: "bounce", messageId: "m_1" })).toBe("bounced");
    expect(emailEventKind({ type: "bounce", messageId: "m_1", permanent: false })).toBeNull();
    expect(emailEventKind({ type: "complaint", messageId: "m_1" })).toBe("complained");
  });
});

describe("emailEventNote", () => {
  it("keeps the event's type and the SMTP codes of its detail, never the provider's words", () => {
    const bounce = (detail?: string) => emailEventNote({ type: "bounce", messageId: "m_1", detail });
    expect(bounce("550 5.1.1 <jane@example.com>: user unknown")).toBe(
      "bounce reported by the email provider: SMTP 550 5.1.1 (mailbox unavailable)",
    );
    expect(bounce("smtp; 5.2.2 mailbox of +1 555 010 2030 full")).toBe(
      "bounce reported by the email provider: SMTP 5.2.2 (mailbox full)",
    );
    expect(bounce("jane@example.com does not exist")).toBe("bounce reported by the email provider");
    expect(bounce()).toBe("bounce reported by the email provider");
    expect(emailEventNote({ type: "complaint", messageId: "m_1", detail: "abuse report from jane" })).toBe(
      "complaint reported by the email provider",
    );
  });
});
