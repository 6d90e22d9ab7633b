import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildPlaybook, PLAYBOOK_KEYS, type CampaignDraft } from "../playbooks";
import { renderMessage } from "../../messaging/templates/render";
import { SAMPLE_CUSTOMERS, SAMPLE_PRODUCTS } from "../../messaging/templates/samples";
import { campaignVariables, SAMPLE_SHOP, templateFor } from "./campaign-templates";

// The default copy of every playbook, segment, send and channel, rendered as the dispatcher renders
// it, must tell the truth about dates. The oracle is independent of the code that writes the copy:
// the season's dates below are worked out by hand from a printed calendar (Thanksgiving is the 4th
// Thursday of November: 2026-11-26, 2027-11-25; Green Monday the 2nd Monday of December:
// 2026-12-14, 2027-12-13; the shop's default cut-offs are Dec 15 and Dec 20), every date is read
// back out of the rendered text, and each claim the text makes about it is checked against them and
// against the send's own date: a cut-off or an end is never in the past when the message goes out,
// and "in time for X" names the occasion the cut-off is for (Christmas), never the sale.

interface Season {
  playbook: (typeof PLAYBOOK_KEYS)[number];
  year: number;
  saleStart: string;
  saleEnd: string;
}
const SEASONS: readonly Season[] = [
  { playbook: "cyber-week", year: 2026, saleStart: "2026-11-27", saleEnd: "2026-11-30" },
  { playbook: "cyber-week", year: 2027, saleStart: "2027-11-26", saleEnd: "2027-11-29" },
  // the Christmas sale runs from Green Monday to the standard shipping cut-off
  { playbook: "christmas", year: 2026, saleStart: "2026-12-14", saleEnd: "2026-12-15" },
  { playbook: "christmas", year: 2027, saleStart: "2027-12-13", saleEnd: "2027-12-15" },
];
// Countries whose calendars differ (public holidays, Mother's Day): the playbooks' dates must not.
const COUNTRIES = ["US", "GB", "DE", "AU", "JP", "BR", null] as const;

const DAY = 86_400_000;
const shift = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

/** Every send of each segment, by hand: VIPs two days early, the price-sensitive launch and last hours. */
function expectedSends(segment: string, s: Season): Array<[string, string]> {
  if (segment === "vip") return [["early_access", shift(s.saleStart, -2)]];
  if (segment === "price_sensitive")
    return [
      ["launch", s.saleStart],
      ["last_hours", s.saleEnd],
    ];
  return [["launch", s.saleStart]];
}

interface Facts {
  sendDate: string;
  saleStart: string;
  saleEnd: string;
  /** null: the campaign promises no delivery (no guarantee, or every cut-off passed by its last send) */
  cutoffs: { standard: string; express: string } | null;
}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTH = `(${MONTHS.join("|")}|${MONTHS.map((m) => m.slice(0, 3)).join("|")})`;
const DATE = new RegExp(`(?:(${WEEKDAYS.join("|")}), )?${MONTH} (\\d{1,2})\\b`, "g");

/** Each claim about a date in `text`, checked; returns what is wrong, one line each. */
function falseClaims(text: string, year: number, f: Facts): string[] {
  const wrong: string[] = [];
  const say = (what: string) => wrong.push(`${what} in: ${JSON.stringify(text)}`);
  for (const m of text.matchAll(DATE)) {
    const [raw, weekday, month = "", day = ""] = m;
    const monthIndex = MONTHS.findIndex((name) => name.startsWith(month));
    const date = `${year}-${String(monthIndex + 1).padStart(2, "0")}-${day.padStart(2, "0")}`;
    if (weekday && WEEKDAYS[new Date(`${date}T12:00:00Z`).getUTCDay()] !== weekday)
      say(`"${raw}" is not a ${weekday}`);
    if (date < f.sendDate) say(`"${raw}" is before the message goes out (${f.sendDate})`);
    const before = text.slice(0, m.index);
    const sentence = text.slice(m.index).split(/[.!\n]/)[0] ?? "";
    if (/\border by $/i.test(before)) {
      const express = /express/.test(sentence);
      if (!f.cutoffs) say(`"${raw}": a delivery promise the campaign does not make`);
      else if (date !== (express ? f.cutoffs.express : f.cutoffs.standard))
        say(
          `"order by ${raw}" is not the ${express ? "express" : "standard"} cut-off ${express ? f.cutoffs.express : f.cutoffs.standard}`,
        );
      if (!/(in time for|by|before) Christmas\b/.test(sentence))
        say(`"order by ${raw}" does not say it is for delivery by Christmas`);
    } else if (/\b(ends|until) $/i.test(before) || /\bruns (from )?\S.* to $/.test(before)) {
      if (date !== f.saleEnd) say(`"${raw}" is not the sale's end ${f.saleEnd}`);
    } else if (/\b(opens to everyone on|runs from|runs|starts on|starts) $/.test(before)) {
      if (date !== f.saleStart) say(`"${raw}" is not the sale's start ${f.saleStart}`);
      if (/opens/.test(before) && date <= f.sendDate) say(`"${raw}": early access after the sale opened`);
    } else {
      say(`"${raw}": a date the test cannot tell the meaning of`);
    }
  }
  // "until 11:59 pm" without a date means today: only on the sale's last day.
  for (const m of text.matchAll(/\buntil (\d{1,2}:\d{2} [ap]m)/g))
    if (f.sendDate !== f.saleEnd)
      say(`"until ${m[1] ?? ""}" on ${f.sendDate}, not the last day ${f.saleEnd}`);
  // Christmas alone is the day (the cut-offs' occasion), never the name of a sale.
  for (const m of text.matchAll(/\bChristmas\b(?! Sale)/g)) {
    const around = text.slice(Math.max(0, (m.index ?? 0) - 80), (m.index ?? 0) + 10);
    if (!/(in time for|delivery by|delivery before|arrive by) Christmas/.test(around))
      say(`"Christmas" as something other than the delivery day`);
    else if (!f.cutoffs) say("delivery by Christmas promised without a cut-off still ahead");
  }
  for (const m of text.matchAll(
    /\b(?:in time for|delivery (?:by|before)|arrive by) ([A-Z][\w']*(?: [A-Z][\w']*)*)/g,
  ))
    if (m[1] !== "Christmas")
      say(`delivery promised for "${m[1] ?? ""}", which is not what the cut-offs are for`);
  if (/guarantee/i.test(text) && !/\border by\b/i.test(text)) say("a guarantee without an order-by date");
  return wrong;
}

/** What a customer would read: subject, text and the HTML's words; or the SMS. */
function rendered(draft: CampaignDraft, sendKey: string, channel: "email" | "sms"): string[] {
  const result = renderMessage(templateFor(draft, sendKey, channel, draft.segment), {
    ...campaignVariables(draft, SAMPLE_SHOP),
    customer: { ...SAMPLE_CUSTOMERS[draft.segment] },
    products: draft.includeProducts ? SAMPLE_PRODUCTS.map((p) => ({ ...p })) : [],
    unsubscribeUrl: "https://app.example.com/unsubscribe/test",
  });
  if (!result.ok) throw new Error(`${draft.key} ${sendKey} ${channel}: ${JSON.stringify(result.errors)}`);
  const m = result.message;
  if (m.channel === "sms") return [m.body];
  const words = m.html
    .replace(/<[^>]*>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/[ \t]+/g, " ");
  return [m.subject, m.text, words];
}

function checkDraft(draft: CampaignDraft, facts: Omit<Facts, "sendDate">): string[] {
  return draft.sends.flatMap((send) =>
    (["email", "sms"] as const).flatMap((channel) =>
      rendered(draft, send.key, channel).flatMap((text) =>
        falseClaims(text, draft.year, { ...facts, sendDate: send.localDate }).map(
          (w) => `${draft.key} ${send.key} ${channel}: ${w}`,
        ),
      ),
    ),
  );
}

const GREEN_MONDAY: Record<number, string> = { 2026: "2026-12-14", 2027: "2027-12-13" };

/** The sale's days: Cyber Week as above; Christmas from Green Monday (or 7 days) to the standard cut-off. */
function saleOf(
  playbook: Season["playbook"],
  year: number,
  standard: string,
): { saleStart: string; saleEnd: string } {
  if (playbook === "cyber-week") {
    const season = SEASONS.find((s) => s.playbook === playbook && s.year === year);
    return { saleStart: season?.saleStart ?? "", saleEnd: season?.saleEnd ?? "" };
  }
  const greenMonday = GREEN_MONDAY[year] ?? "";
  return { saleStart: greenMonday < standard ? greenMonday : shift(standard, -6), saleEnd: standard };
}

describe("the default copy of every playbook", () => {
  it.each(SEASONS)(
    "tells the truth about the dates of $playbook $year, every segment, send and channel",
    (season) => {
      const byCountry = COUNTRIES.map((countryCode) =>
        buildPlaybook({ playbook: season.playbook, year: season.year, countryCode }),
      );
      const [drafts = []] = byCountry;
      for (const other of byCountry) expect(other).toEqual(drafts);
      expect(drafts).toHaveLength(6);
      const cutoffs = { standard: `${season.year}-12-15`, express: `${season.year}-12-20` };
      const wrong: string[] = [];
      for (const draft of drafts) {
        expect(
          draft.sends.map((s) => [s.key, s.localDate]),
          draft.key,
        ).toEqual(expectedSends(draft.segment, season));
        // every rendered message must make its promises; a lapsed one must name a cut-off
        const texts = draft.sends.flatMap((s) => rendered(draft, s.key, "email"));
        if (draft.segment === "lapsed")
          expect(texts.join("\n"), draft.key).toMatch(
            /Order by Tuesday, December 15\b|Order by Wednesday, December 15\b/,
          );
        if (draft.segment === "price_sensitive")
          expect(texts.join("\n"), draft.key).toMatch(/Ends \w+, \w+ \d+ at 11:59 pm/);
        wrong.push(
          ...checkDraft(draft, {
            saleStart: season.saleStart,
            saleEnd: season.saleEnd,
            cutoffs: draft.deliveryGuarantee ? cutoffs : null,
          }),
        );
      }
      expect(wrong).toEqual([]);
    },
  );

  it("never promises a cut-off that has passed, whatever the shop's cut-offs", () => {
    // standard 1..54 days before Christmas (Nov 1 at the earliest), express on it or later
    const settings = fc
      .tuple(fc.integer({ min: 1, max: 54 }), fc.integer({ min: 0, max: 53 }))
      .map(([standard, later]) => ({ standard, express: Math.max(1, standard - later) }));
    fc.assert(
      fc.property(
        fc.constantFrom(...PLAYBOOK_KEYS),
        fc.constantFrom(2026, 2027),
        settings,
        (playbook, year, days) => {
          // no country: the playbooks' days do not depend on it (checked above), and holidays are slow
          const drafts = buildPlaybook({
            playbook,
            year,
            countryCode: null,
            shipping: {
              standard: { daysBeforeChristmas: days.standard },
              express: { daysBeforeChristmas: days.express },
            },
          });
          const christmas = `${year}-12-25`;
          const cutoffs = {
            standard: shift(christmas, -days.standard),
            express: shift(christmas, -days.express),
          };
          for (const draft of drafts) {
            const lastSend =
              draft.sends
                .map((s) => s.localDate)
                .sort()
                .at(-1) ?? "";
            // a guarantee holds only while some cut-off is still ahead of the last send
            const promised = draft.deliveryGuarantee && cutoffs.express >= lastSend ? cutoffs : null;
            const facts = { ...saleOf(playbook, year, cutoffs.standard), cutoffs: promised };
            const wrong = checkDraft(draft, facts);
            const words = draft.sends.flatMap((s) => rendered(draft, s.key, "email")).join("\n");
            if (promised && cutoffs.standard >= lastSend) expect(words).not.toMatch(/express/);
            if (promised && cutoffs.standard < lastSend) expect(words).toMatch(/express shipping/);
            expect(wrong).toEqual([]);
          }
        },
      ),
      { numRuns: 60 },
    );
  }, 30_000);
});
