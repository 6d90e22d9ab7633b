import { describe, expect, it } from "vitest";
import { templateFromForm } from "./template-form";

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};

describe("templateFromForm", () => {
  it("reads an email's three parts and an SMS's body, with the browser's CRLF as plain line breaks", () => {
    expect(
      templateFromForm(
        form({ channel: "email", subject: "S", html: "<p>a</p>\r\n<p>b</p>", text: "a\r\nb" }),
      ),
    ).toEqual({
      ok: true,
      template: { channel: "email", subject: "S", html: "<p>a</p>\n<p>b</p>", text: "a\nb" },
    });
    expect(templateFromForm(form({ channel: "sms", body: "Hi", subject: "ignored" }))).toEqual({
      ok: true,
      template: { channel: "sms", body: "Hi" },
    });
  });
  it("names the empty part", () => {
    expect(templateFromForm(form({ channel: "email", subject: "", html: "h", text: "t" }))).toEqual({
      ok: false,
      errors: [{ part: "subject", line: 1, column: 1, message: "Subject is required" }],
    });
    expect(templateFromForm(form({ channel: "sms" }))).toEqual({
      ok: false,
      errors: [{ part: "sms", line: 1, column: 1, message: "SMS body is required" }],
    });
  });
});
