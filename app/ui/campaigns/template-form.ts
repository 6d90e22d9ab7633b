import { MessageTemplate, type TemplateError, type TemplatePart } from "../../messaging/templates/message-template";

// The campaign page's template box as a MessageTemplate: subject, HTML and text for email, the body
// for SMS. Pure. Form errors come back located like render errors (line 1, column 1 of the part).

interface FormLike {
  get(name: string): FormDataEntryValue | null;
}

const PART_OF_FIELD: Record<string, TemplatePart> = {
  subject: "subject",
  html: "html",
  text: "text",
  body: "sms",
};

export type TemplateFromForm =
  { ok: true; template: MessageTemplate } | { ok: false; errors: TemplateError[] };

export function templateFromForm(form: FormLike): TemplateFromForm {
  const text = (name: string) => {
    const value = form.get(name);
    // browsers send CRLF in a textarea; Liquid's lines and columns are the merchant's lines
    return typeof value === "string" ? value.replace(/\r\n?/g, "\n") : "";
  };
  const sms = text("channel") === "sms";
  const parsed = MessageTemplate.safeParse(
    sms
      ? { channel: "sms", body: text("body") }
      : { channel: "email", subject: text("subject"), html: text("html"), text: text("text") },
  );
  if (parsed.success) return { ok: true, template: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((i) => ({
      part: PART_OF_FIELD[String(i.path[0])] ?? (sms ? "sms" : "text"),
      line: 1,
      column: 1,
      message: i.message,
    })),
  };
}
