import type { Rejection, SinkLog, SinkStats } from "./log";
import { mailBody, parseHeaders, splitMessage } from "./mime";
import type { MailEntry } from "./smtp";
import type { SmsEntry } from "./twilio";
import type { WebhookEntry } from "./webhook";

// The outbox viewer: what each sink received, newest first (GET /sinks for people, /sinks.json
// for scripts). Bodies are decoded only here, on request, never on the delivery path.

export type MailView = Omit<MailEntry, "raw"> & {
  headers: Record<string, string>;
  text?: string;
  html?: string;
};

export interface SinksSnapshot {
  smtp: { stats: SinkStats; messages: MailView[]; rejections: Rejection[] };
  twilio: { stats: SinkStats; messages: SmsEntry[]; rejections: Rejection[] };
  webhook: { stats: SinkStats; pings: number; messages: WebhookEntry[]; rejections: Rejection[] };
}

export function mailView(entry: MailEntry): MailView {
  const { raw, ...rest } = entry;
  const { headerText, body } = splitMessage(raw);
  const headers = parseHeaders(headerText);
  return { ...rest, headers: Object.fromEntries(headers), ...mailBody(headers, body) };
}

export function snapshot(
  logs: { smtp: SinkLog<MailEntry>; twilio: SinkLog<SmsEntry>; webhook: SinkLog<WebhookEntry> },
  pings: number,
  limit: number,
): SinksSnapshot {
  return {
    smtp: {
      stats: logs.smtp.stats(),
      messages: logs.smtp.recent(limit).map(mailView),
      rejections: logs.smtp.recentRejections(),
    },
    twilio: {
      stats: logs.twilio.stats(),
      messages: logs.twilio.recent(limit),
      rejections: logs.twilio.recentRejections(),
    },
    webhook: {
      stats: logs.webhook.stats(),
      pings,
      messages: logs.webhook.recent(limit),
      rejections: logs.webhook.recentRejections(),
    },
  };
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
export const escapeHtml = (value: unknown): string =>
  String(value ?? "").replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
const preview = (text: string | undefined, max = 200): string => {
  const flat = (text ?? "").replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

function table(headings: string[], rows: unknown[][]): string {
  if (rows.length === 0) return "<p class=empty>Nothing received yet.</p>";
  const head = headings.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const body = rows
    .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join("")}</tr>`)
    .join("\n");
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function section(
  title: string,
  stats: SinkStats,
  extra: string,
  messages: string,
  rejections: Rejection[],
): string {
  const counters = `accepted ${stats.accepted} · unique keys ${stats.uniqueKeys} · re-sent with a known key ${stats.duplicates} · rejected ${stats.rejected}${stats.keysTruncated ? " · (key tracking full)" : ""}${extra}`;
  const refused = rejections.length
    ? `<details><summary>Last refusals (${rejections.length})</summary>${table(
        ["at", "status", "reason", "idempotency key"],
        rejections.map((r) => [r.at, r.status, r.reason, r.key ?? ""]),
      )}</details>`
    : "";
  return `<section><h2>${escapeHtml(title)}</h2><p class=stats>${escapeHtml(counters)}</p>${messages}${refused}</section>`;
}

export function renderViewer(data: SinksSnapshot): string {
  const mail = table(
    ["at", "idempotency key", "#", "to", "subject", "List-Unsubscribe", "text"],
    data.smtp.messages.map((m) => [
      m.at,
      m.key ?? "",
      m.count,
      m.to.join(", "),
      m.subject,
      m.listUnsubscribe ? `yes${m.listUnsubscribePost ? " (one-click)" : ""}` : "no",
      preview(m.text ?? m.html),
    ]),
  );
  const sms = table(
    ["at", "idempotency key", "#", "sid", "to", "from", "segments", "body"],
    data.twilio.messages.map((m) => [
      m.at,
      m.key ?? "",
      m.count,
      m.sid + (m.replay ? " (replay)" : ""),
      m.to,
      m.from ?? m.messagingServiceSid ?? "",
      m.segments,
      preview(m.body),
    ]),
  );
  const hooks = table(
    ["at", "idempotency key", "#", "body"],
    data.webhook.messages.map((m) => [m.at, m.key ?? "", m.count, preview(m.body, 300)]),
  );
  return `<!doctype html>
<html lang=en><head><meta charset=utf-8><meta http-equiv=refresh content=5>
<title>Outbox viewer — emulator sinks</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#202223}
h1{font-size:1.3rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
td{max-width:28rem;overflow-wrap:anywhere}.stats{color:#555}.empty{color:#888}
</style></head><body>
<h1>Outbox viewer</h1>
<p>What the local SMTP server, Twilio-compatible endpoint and webhook receiver received, newest first. <a href="/sinks.json">JSON</a></p>
${section("Email (SMTP sink)", data.smtp.stats, "", mail, data.smtp.rejections)}
${section("SMS (Twilio sink)", data.twilio.stats, "", sms, data.twilio.rejections)}
${section("Webhooks (receiver)", data.webhook.stats, ` · test pings ${data.webhook.pings}`, hooks, data.webhook.rejections)}
</body></html>`;
}
