import type { AudienceSettings } from "../../messaging/rules/settings";

// The audience rules of a campaign in a merchant's words, for the campaign page. Pure.

const percent = (share: number) => `${Number((share * 100).toFixed(2))}%`;

function cap(channel: string, hours: number | null): string {
  if (hours === null) return `${channel}: no cap`;
  return `${channel}: at most one every ${hours} h`;
}

export function describeAudienceRules(audience: AudienceSettings): string[] {
  const { caps, smsQuietHours, stateQuietHours, holdoutShare } = audience;
  const byWindow = new Map<string, string[]>();
  for (const [region, w] of Object.entries(stateQuietHours).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const window = `${w.start}–${w.end}`;
    byWindow.set(window, [...(byWindow.get(window) ?? []), region]);
  }
  const states = [...byWindow].map(([window, regions]) => `${regions.join(", ")} ${window}`);
  return [
    holdoutShare > 0
      ? `Holdout: ${percent(holdoutShare)} of the audience gets nothing, to measure the lift.`
      : "Holdout: none (no lift can be measured).",
    `Per customer across campaigns — ${cap("email", caps.email)}; ${cap("SMS", caps.sms)}; ${cap("webhook", caps.webhook)}.`,
    `SMS only ${smsQuietHours.start}–${smsQuietHours.end} in the customer's time zone${
      states.length > 0 ? `; stricter: ${states.join("; ")}` : ""
    }.`,
  ];
}
