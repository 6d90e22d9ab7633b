import { z } from "zod";
import type { AudienceSettings } from "../audience";
import { DEFAULT_AUDIENCE_SETTINGS, parseAudienceSettings } from "../audience";
import { settingsIssues, type SettingsIssue } from "../calendar/issues";
import { CampaignDraft } from "../playbooks";
import { templateRenderIssues } from "./campaign-templates";

// What Campaign.definition holds: the draft (playbooks' CampaignDraft) and the audience settings it
// is planned with (caps, SMS hours). Validated when written and again when read, the merchant's
// saved templates rendered with the campaign's data (campaign-templates.ts). Pure.
//
// The holdout share lives in the draft only (draft.holdoutShare): the stored audience omits it and
// the settings handed to planning take it from the draft, so the two can never disagree.

export interface CampaignDefinition {
  draft: CampaignDraft;
  /** holdoutShare always equals draft.holdoutShare */
  audience: AudienceSettings;
}

const Stored = z
  .object({ draft: z.unknown(), audience: z.record(z.unknown()).default({}) })
  .strict("A campaign definition holds only draft and audience");

export type ParsedDefinition =
  { ok: true; definition: CampaignDefinition } | { ok: false; issues: SettingsIssue[] };

const prefixed = (prefix: string, issues: readonly SettingsIssue[]): SettingsIssue[] =>
  issues.map((i) => ({ path: i.path ? `${prefix}.${i.path}` : prefix, message: i.message }));

/** Audience settings for a draft: `input` (unknown, e.g. a form) with the draft's holdout share. */
export function audienceFor(
  draft: CampaignDraft,
  input: unknown,
): { ok: true; audience: AudienceSettings } | { ok: false; issues: SettingsIssue[] } {
  const object = z.record(z.unknown()).safeParse(input ?? {});
  if (!object.success)
    return { ok: false, issues: [{ path: "", message: "Audience settings must be an object" }] };
  const parsed = parseAudienceSettings({ ...object.data, holdoutShare: draft.holdoutShare });
  if (parsed.ok) return { ok: true, audience: parsed.settings };
  return {
    ok: false,
    issues: parsed.errors.map((line) => {
      const at = line.indexOf(": ");
      return { path: line.slice(0, at), message: line.slice(at + 2) };
    }),
  };
}

/** A definition as stored (JSON): the draft, and the audience without the holdout share. */
export function storedDefinition(definition: CampaignDefinition): {
  draft: CampaignDraft;
  audience: Record<string, unknown>;
} {
  const { holdoutShare: _fromDraft, ...audience } = definition.audience;
  return { draft: definition.draft, audience };
}

/** A stored definition read back: every field validated again; issues are named "draft.…", "audience.…". */
export function parseDefinition(json: unknown): ParsedDefinition {
  const stored = Stored.safeParse(json);
  if (!stored.success) return { ok: false, issues: settingsIssues(stored.error) };
  const draft = CampaignDraft.safeParse(stored.data.draft);
  if (!draft.success) return { ok: false, issues: prefixed("draft", settingsIssues(draft.error)) };
  const templates = templateRenderIssues(draft.data);
  if (templates.length > 0) return { ok: false, issues: prefixed("draft", templates) };
  const audience = audienceFor(draft.data, stored.data.audience);
  if (!audience.ok) return { ok: false, issues: prefixed("audience", audience.issues) };
  return { ok: true, definition: { draft: draft.data, audience: audience.audience } };
}

/** A draft with the default audience settings. */
export function defaultDefinition(draft: CampaignDraft): CampaignDefinition {
  return { draft, audience: { ...DEFAULT_AUDIENCE_SETTINGS, holdoutShare: draft.holdoutShare } };
}

/** JSON with sorted keys: two definitions are the same when their texts are. */
export function canonicalText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}
