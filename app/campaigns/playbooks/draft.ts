import { z } from "zod";
import { SEGMENTS } from "../../segments/rules";
import { CalendarYear, LocalDate } from "../../messaging/rules/local-dates";
import { describeIssues, type SettingsIssue } from "../calendar/issues";
import {
  EmailTemplate,
  SmsTemplate,
  TEMPLATE_FIELD,
  TEMPLATE_PART_LABEL,
} from "../../messaging/templates/message-template";
import { validateTemplate } from "../../messaging/templates/render";

// A campaign as a playbook proposes it and the merchant edits it, before any audience exists:
// who (segment), by which channels, on which local days and times, with what offer. Pure.

export const PLAYBOOK_KEYS = ["cyber-week", "christmas"] as const;
export const PlaybookKey = z.enum(PLAYBOOK_KEYS, {
  errorMap: () => ({ message: `Playbook must be one of ${PLAYBOOK_KEYS.map((k) => `"${k}"`).join(", ")}` }),
});
export type PlaybookKey = z.infer<typeof PlaybookKey>;

export const CHANNELS = ["email", "sms", "webhook"] as const;
export const Channel = z.enum(CHANNELS, {
  errorMap: () => ({ message: 'Channel must be "email", "sms" or "webhook"' }),
});
export type Channel = z.infer<typeof Channel>;

/** "first": each customer gets the first listed channel they consented to; "all": every consented one. */
export const ChannelMode = z.enum(["first", "all"], {
  errorMap: () => ({ message: 'Channel mode must be "first" (first consented channel) or "all"' }),
});
export type ChannelMode = z.infer<typeof ChannelMode>;

export const SEND_KEYS = ["early_access", "launch", "reminder", "last_hours"] as const;
export const SendKey = z.enum(SEND_KEYS, {
  errorMap: () => ({ message: `Send must be one of ${SEND_KEYS.join(", ")}` }),
});
export type SendKey = z.infer<typeof SendKey>;

/** 24-hour "HH:MM" in each customer's own time zone. */
export const LocalTime = z
  .string({ invalid_type_error: 'Send time must be text like "10:00"' })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, {
    message: 'Send time must be a local time like "10:00" (24-hour HH:MM)',
  });

export const CampaignSend = z
  .object({ key: SendKey, localDate: LocalDate, localTime: LocalTime })
  .strict("A send takes only key, localDate and localTime");
export type CampaignSend = z.infer<typeof CampaignSend>;

export const Discount = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("none") }).strict(),
    z
      .object({
        type: z.literal("percent"),
        percent: z
          .number({ invalid_type_error: "Discount percent must be a number" })
          .int("Discount percent must be a whole number")
          .min(1, "Discount percent must be from 1 to 90")
          .max(90, "Discount percent must be from 1 to 90"),
        // The code must exist in Shopify (Discounts); the playbook only names it.
        code: z.string({ invalid_type_error: "Discount code must be text" }).regex(/^[A-Za-z0-9_-]{3,40}$/, {
          message: "Discount code must be 3 to 40 letters, digits, - or _",
        }),
      })
      .strict(),
  ],
  {
    errorMap: () => ({
      message: 'Discount must be { "type": "none" } or { "type": "percent", "percent": 20, "code": "…" }',
    }),
  },
);
export type Discount = z.infer<typeof Discount>;

/** The merchant's own templates of one send; a channel without one sends the segment's default. */
export const SendTemplates = z
  .object({ email: EmailTemplate.optional(), sms: SmsTemplate.optional() })
  .strict("A send's templates are email and sms only");
export type SendTemplates = z.infer<typeof SendTemplates>;

export const TemplateOverrides = z.record(SendKey, SendTemplates, {
  invalid_type_error: 'Templates must be an object by send, like { "launch": { "sms": … } }',
});
export type TemplateOverrides = z.infer<typeof TemplateOverrides>;

/** The shop's cut-off dates of the campaign's year, for "order by … for delivery by Christmas". */
export const ShippingCutoffDates = z.object({ standard: LocalDate, express: LocalDate }).strict();
export type ShippingCutoffDates = z.infer<typeof ShippingCutoffDates>;

export const DEFAULT_HOLDOUT_SHARE = 0.1;

export const CampaignDraftFields = z
  .object({
    /** deterministic: "cyber-week-2026:vip" */
    key: z
      .string()
      .regex(/^[a-z-]+-\d{4}:[a-z_]+$/, { message: 'Campaign key must look like "cyber-week-2026:vip"' }),
    playbook: PlaybookKey,
    year: CalendarYear,
    segment: z.enum(SEGMENTS, {
      errorMap: () => ({ message: `Segment must be one of ${SEGMENTS.join(", ")}` }),
    }),
    name: z
      .string({ invalid_type_error: "Name must be text" })
      .trim()
      .min(1, "Name must not be empty")
      .max(120, "Name must be at most 120 characters"),
    /** what the campaign should achieve and how it treats the segment, in the merchant's words */
    goal: z
      .string({ invalid_type_error: "Goal must be text" })
      .trim()
      .min(1, "Goal must not be empty")
      .max(600, "Goal must be at most 600 characters"),
    channels: z
      .array(Channel, { invalid_type_error: 'Channels must be a list like ["email", "sms"]' })
      .min(1, "Pick at least one channel")
      .refine((list) => new Set(list).size === list.length, { message: "Each channel may be listed once" }),
    channelMode: ChannelMode,
    sends: z
      .array(CampaignSend, { invalid_type_error: "Sends must be a list" })
      .min(1, "A campaign needs at least one send")
      .max(6, "A campaign has at most 6 sends"),
    /** first and last local day of the campaign, inclusive; every send falls within */
    startsAt: LocalDate,
    endsAt: LocalDate,
    discount: Discount,
    holdoutShare: z
      .number({ invalid_type_error: "Holdout share must be a number" })
      .min(0, "Holdout share must be from 0 to 0.5 (e.g. 0.1 keeps 10% of the audience back to measure lift)")
      .max(
        0.5,
        "Holdout share must be from 0 to 0.5 (e.g. 0.1 keeps 10% of the audience back to measure lift)",
      )
      .default(DEFAULT_HOLDOUT_SHARE),
    /** show products: in stock, not already bought by the customer (resolved when messages render) */
    includeProducts: z.boolean({ invalid_type_error: "Include products must be true or false" }),
    /** say "order by <cut-off> for delivery by Christmas" */
    deliveryGuarantee: z.boolean({ invalid_type_error: "Delivery guarantee must be true or false" }),
    shippingCutoff: ShippingCutoffDates,
    /** a disabled draft is an optional campaign the merchant may switch on */
    enabled: z.boolean({ invalid_type_error: "Enabled must be true or false" }),
    /**
     * The merchant's edited templates by send and channel. Here each is checked on its own (Liquid
     * parses, variables exist, the unsubscribe link is there); the campaign definition also renders
     * it with the campaign's data (campaign-templates.ts).
     */
    templates: TemplateOverrides.optional(),
  })
  .strict();

type DraftFields = z.infer<typeof CampaignDraftFields>;

function checkTemplates(draft: DraftFields, ctx: z.RefinementCtx): void {
  for (const [send, byChannel] of Object.entries(draft.templates ?? {})) {
    for (const template of [byChannel?.email, byChannel?.sms]) {
      if (!template) continue;
      for (const e of validateTemplate(template)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["templates", send, template.channel, TEMPLATE_FIELD[e.part]],
          message: `${TEMPLATE_PART_LABEL[e.part]}, line ${e.line}, column ${e.column}: ${e.message}`,
        });
      }
    }
  }
}

function checkDates(draft: DraftFields, ctx: z.RefinementCtx): void {
  const valid = (date: string) => LocalDate.safeParse(date).success;
  if (valid(draft.startsAt) && valid(draft.endsAt) && draft.startsAt > draft.endsAt) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ["endsAt"],
      message: `Ends (${draft.endsAt}) must not be before starts (${draft.startsAt})`,
    });
  }
  const seen = new Set<string>();
  draft.sends.forEach((send, i) => {
    if (seen.has(send.key)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["sends", i, "key"],
        message: `Send "${send.key}" is listed twice`,
      });
    }
    seen.add(send.key);
    if (
      valid(send.localDate) &&
      valid(draft.startsAt) &&
      valid(draft.endsAt) &&
      (send.localDate < draft.startsAt || send.localDate > draft.endsAt)
    ) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["sends", i, "localDate"],
        message: `Send "${send.key}" on ${send.localDate} is outside the campaign (${draft.startsAt} to ${draft.endsAt})`,
      });
    }
  });
}

export const CampaignDraft = CampaignDraftFields.superRefine((draft, ctx) => {
  checkDates(draft, ctx);
  checkTemplates(draft, ctx);
});
export type CampaignDraft = z.infer<typeof CampaignDraft>;

/** What a merchant may change; the identity (key, playbook, year, segment) stays. */
export const CampaignDraftEdits = CampaignDraftFields.omit({
  key: true,
  playbook: true,
  year: true,
  segment: true,
})
  .partial()
  .strict();
export type CampaignDraftEdits = z.input<typeof CampaignDraftEdits>;

const IDENTITY = new Set(["key", "playbook", "year", "segment"]);

export type DraftEditResult =
  | { ok: true; draft: CampaignDraft }
  | { ok: false; /** the draft as it was */ draft: CampaignDraft; issues: SettingsIssue[]; message: string };

export function editIssues(error: z.ZodError): SettingsIssue[] {
  return error.issues.flatMap((issue): SettingsIssue[] => {
    if (issue.code !== z.ZodIssueCode.unrecognized_keys)
      return [{ path: issue.path.join("."), message: issue.message }];
    return issue.keys.map((key) => ({
      path: [...issue.path, key].join("."),
      message: IDENTITY.has(key)
        ? `${key} cannot be edited: it identifies the campaign`
        : `${key} is not a campaign setting`,
    }));
  });
}

/** Sends in the order they go out: by date, then time. */
export function sortSends(sends: readonly CampaignSend[]): CampaignSend[] {
  return [...sends].sort((a, b) =>
    `${a.localDate} ${a.localTime}`.localeCompare(`${b.localDate} ${b.localTime}`),
  );
}

/** A refused edit: the draft as it was, the issues, and all of them in one line. */
export const failedEdit = (draft: CampaignDraft, issues: SettingsIssue[]): DraftEditResult => ({
  ok: false,
  draft,
  issues,
  message: describeIssues(issues),
});

/**
 * The templates of the draft's own sends: a send the merchant removes takes its templates with it,
 * so the stored draft holds nothing the page cannot show. No key at all when none is left.
 */
export function withSendTemplates({ templates, ...rest }: CampaignDraft): CampaignDraft {
  const kept = Object.entries(templates ?? {}).filter(
    ([send, t]) => rest.sends.some((s) => s.key === send) && (t?.email || t?.sms),
  );
  return kept.length > 0 ? { ...rest, templates: Object.fromEntries(kept) } : rest;
}

/**
 * The draft with the merchant's edits, or — when any value is invalid — the unchanged draft and one
 * issue per field path ("sends.1.localTime", "holdoutShare"). Never mutates `draft`.
 */
export function applyDraftEdits(draft: CampaignDraft, edits: unknown): DraftEditResult {
  const parsedEdits = CampaignDraftEdits.safeParse(edits);
  if (!parsedEdits.success) return failedEdit(draft, editIssues(parsedEdits.error));
  const merged = CampaignDraft.safeParse({ ...draft, ...parsedEdits.data });
  if (!merged.success) return failedEdit(draft, editIssues(merged.error));
  return { ok: true, draft: withSendTemplates({ ...merged.data, sends: sortSends(merged.data.sends) }) };
}
