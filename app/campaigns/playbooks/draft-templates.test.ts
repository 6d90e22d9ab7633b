import { describe, expect, it } from "vitest";
import type { EmailTemplate, SmsTemplate } from "../../messaging/templates/message-template";
import { applyDraftEdits, CampaignDraft } from "./draft";
import { setSendTemplate } from "./send-template";
import { buildPlaybook } from "./playbooks";

const drafts = buildPlaybook({ playbook: "cyber-week", year: 2026, countryCode: "US" });
const found = drafts.find((d) => d.segment === "price_sensitive");
if (!found) throw new Error("the Cyber Week playbook has no price-sensitive draft");
const draft: CampaignDraft = found;
const snapshot = structuredClone(draft);

const sms: SmsTemplate = {
  channel: "sms",
  body: "{{ shop.name }}: {{ event.name }} now. Reply STOP to opt out",
};
const email: EmailTemplate = {
  channel: "email",
  subject: "{{ event.name }} is on",
  html: '<p>Hi</p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>',
  text: "Hi\nUnsubscribe: {{ unsubscribeUrl }}",
};

function ok(result: ReturnType<typeof setSendTemplate>): CampaignDraft {
  if (!result.ok) throw new Error(result.message);
  return result.draft;
}

describe("a draft's templates", () => {
  it("sets, replaces and drops one send's template of one channel, leaving the rest", () => {
    const one = ok(setSendTemplate(draft, { send: "launch", channel: "sms", template: sms }));
    expect(one.templates).toEqual({ launch: { sms } });
    const two = ok(setSendTemplate(one, { send: "launch", channel: "email", template: email }));
    expect(two.templates).toEqual({ launch: { sms, email } });
    const three = ok(
      setSendTemplate(two, {
        send: "last_hours",
        channel: "sms",
        template: { ...sms, body: `${sms.body}!` },
      }),
    );
    expect(Object.keys(three.templates ?? {})).toEqual(["launch", "last_hours"]);
    const back = ok(setSendTemplate(three, { send: "launch", channel: "sms", template: null }));
    expect(back.templates).toEqual({
      launch: { email },
      last_hours: { sms: { ...sms, body: `${sms.body}!` } },
    });
    // the last one dropped leaves no templates key at all: the draft is as the playbook made it
    const none = ok(
      setSendTemplate(ok(setSendTemplate(back, { send: "launch", channel: "email", template: null })), {
        send: "last_hours",
        channel: "sms",
        template: null,
      }),
    );
    expect(none).toEqual(draft);
    expect("templates" in none).toBe(false);
    expect(draft).toEqual(snapshot);
  });

  it("refuses Liquid that does not parse, naming the field, part, line and column", () => {
    const result = setSendTemplate(draft, {
      send: "launch",
      channel: "sms",
      template: { channel: "sms", body: "Hi\n  {% if discount %}no end" },
    });
    expect(result).toMatchObject({
      ok: false,
      issues: [
        {
          path: "templates.launch.sms.body",
          message: "SMS body, line 2, column 3: tag {% if discount %} not closed",
        },
      ],
    });
    expect(result.draft).toBe(draft);
    const typo = setSendTemplate(draft, {
      send: "launch",
      channel: "email",
      template: { ...email, subject: "Hi\n{{ customer.fristName }}" },
    });
    expect(typo).toMatchObject({
      ok: false,
      issues: [
        {
          path: "templates.launch.email.subject",
          message: "Subject, line 2, column 4: undefined variable: customer.fristName",
        },
      ],
    });
    const noLink = setSendTemplate(draft, {
      send: "launch",
      channel: "email",
      template: { ...email, html: "<p>Hi</p>" },
    });
    expect(noLink).toMatchObject({
      ok: false,
      issues: [
        {
          path: "templates.launch.email.html",
          message: expect.stringMatching(
            /^HTML body, line 1, column 1: a marketing email must contain the unsubscribe link/,
          ),
        },
      ],
    });
  });

  it("refuses a send the campaign does not have, another channel's template, and bad shapes", () => {
    expect(setSendTemplate(draft, { send: "early_access", channel: "sms", template: sms })).toMatchObject({
      ok: false,
      issues: [
        { path: "templates.early_access", message: 'Send "early_access" is not part of this campaign' },
      ],
    });
    expect(setSendTemplate(draft, { send: "launch", channel: "email", template: sms })).toMatchObject({
      ok: false,
      issues: [{ path: "templates.launch.email", message: "The template is for sms, not email" }],
    });
    expect(
      setSendTemplate(draft, { send: "launch", channel: "sms", template: { channel: "sms", body: "" } }),
    ).toMatchObject({
      ok: false,
      issues: [{ path: "templates.launch.sms.body", message: "SMS body is required" }],
    });
    expect(setSendTemplate(draft, { send: "soon", channel: "fax", template: null })).toMatchObject({
      ok: false,
      issues: [{ path: "templates.send" }, { path: "templates.channel" }],
    });
    expect(setSendTemplate(draft, null).ok).toBe(false);
    const stored = (templates: unknown) => CampaignDraft.safeParse({ ...draft, templates }).success;
    expect(stored({ launch: { sms } })).toBe(true);
    expect(stored({ launch: { email: sms } })).toBe(false);
    expect(stored({ launch: { webhook: sms } })).toBe(false);
    expect(stored({ someday: { sms } })).toBe(false);
    expect(stored({ launch: { sms: { ...sms, colour: "red" } } })).toBe(false);
    expect(stored({ launch: { sms: { channel: "sms", body: "" } } })).toBe(false);
    expect(stored("launch")).toBe(false);
  });

  it("go with their send: an edit that removes a send removes its templates", () => {
    const withTemplates = ok(
      setSendTemplate(ok(setSendTemplate(draft, { send: "launch", channel: "sms", template: sms })), {
        send: "last_hours",
        channel: "sms",
        template: sms,
      }),
    );
    const launchOnly = withTemplates.sends.filter((s) => s.key === "launch");
    const edited = applyDraftEdits(withTemplates, { sends: launchOnly });
    expect(edited).toMatchObject({ ok: true, draft: { templates: { launch: { sms } } } });
    expect(edited.draft.templates).not.toHaveProperty("last_hours");
    // other edits keep them
    expect(applyDraftEdits(withTemplates, { name: "Renamed" }).draft.templates).toEqual(
      withTemplates.templates,
    );
  });
});
