
// The campaign editor's form as CampaignDraftEdits (playbooks/draft.ts validates it). Pure. A number
// field that is not a number is passed on as text, so the validation names the field.

const MAX_SENDS = 6;

const number = (text: string): number | string => (/^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text);

export function draftEditsFromForm(form: FormData): Record<string, unknown> {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const flag = (name: string) => form.get(name) === "on" || form.get(name) === "true";
  const sends: Array<Record<string, string>> = [];
  for (let i = 0; i < MAX_SENDS; i++) {
    const key = text(`sends.${i}.key`);
    if (!key) continue;
    sends.push({ key, localDate: text(`sends.${i}.localDate`).trim(), localTime: text(`sends.${i}.localTime`).trim() });
  }
  const discount =
    text("discount.type") === "percent"
      ? { type: "percent", percent: number(text("discount.percent")), code: text("discount.code").trim() }
      : { type: "none" };
  return {
    name: text("name"),
    goal: text("goal"),
    channels: form.getAll("channels").filter((c): c is string => typeof c === "string"),
    channelMode: text("channelMode"),
    startsAt: text("startsAt").trim(),
    endsAt: text("endsAt").trim(),
    holdoutShare: number(text("holdoutShare")),
    discount,
    sends,
    enabled: flag("enabled"),
    includeProducts: flag("includeProducts"),
    deliveryGuarantee: flag("deliveryGuarantee"),
  };
}

