import { z } from "zod";
import { SEGMENT_TREATMENT, type Segment } from "../../segments/rules";
import { addDays, CalendarYear, formatLocalDate, type LocalDate } from "../../messaging/rules/local-dates";
import { eventOn, type SeasonCalendar } from "../calendar/events";
import { InvalidSettingsError, settingsIssues } from "../calendar/issues";
import { seasonCalendar } from "../calendar/season";
import { ShippingCutoffs } from "../calendar/shipping";
import { CampaignDraft, DEFAULT_HOLDOUT_SHARE, PlaybookKey, sortSends, type CampaignSend } from "./draft";

// The season playbooks as data: which days a playbook's sale runs, and how each segment is treated
// in it (DESIGN.md). `buildPlaybook` turns one into a draft per segment for a year. Pure.

/** The days of a playbook's sale in one year, and what the merchant calls them. */
export interface SaleWindow {
  /** the event day the sale opens to everyone */
  start: LocalDate;
  startName: string;
  /** the last day of the sale, inclusive */
  end: LocalDate;
  endName: string;
}

export interface Playbook {
  key: PlaybookKey;
  name: string;
  /** what the messages call the sale ({{ event.name }}): "Christmas" alone is the day itself */
  saleName: string;
  description: string;
  window: (calendar: SeasonCalendar) => SaleWindow;
  /** the sale's default offer for price-sensitive customers and the optional announcements */
  percentOff: number;
  discountCode: (year: number) => string;
}

/** VIPs see the sale this many days before everyone else. */
export const EARLY_ACCESS_DAYS = 2;
/** A send's default local time; the audience step keeps SMS inside quiet hours. */
export const DEFAULT_SEND_TIME = "10:00";
/** The "last hours" reminder: evening of the last day, still before SMS quiet hours (20:00/21:00). */
export const LAST_HOURS_SEND_TIME = "18:00";
/** When the standard cut-off comes before Green Monday, the Christmas sale gets this many days. */
const FALLBACK_CHRISTMAS_SALE_DAYS = 7;

function christmasWindow(calendar: SeasonCalendar): SaleWindow {
  const greenMonday = eventOn(calendar, "green-monday").date;
  const cutoff = eventOn(calendar, "standard-shipping-cutoff").date;
  const end = { end: cutoff, endName: "the standard shipping cut-off" };
  // The sale must close while standard delivery still arrives by Christmas.
  if (greenMonday < cutoff) return { start: greenMonday, startName: "Green Monday", ...end };
  return {
    start: addDays(cutoff, 1 - FALLBACK_CHRISTMAS_SALE_DAYS),
    startName: "the sale's first day",
    ...end,
  };
}

export const PLAYBOOKS: Readonly<Record<PlaybookKey, Playbook>> = {
  "cyber-week": {
    key: "cyber-week",
    name: "Cyber Week",
    saleName: "Cyber Week",
    description:
      "Black Friday through Cyber Monday: VIP early access, a short sale with a last-hours push, delivery promises for lapsed customers and in-stock cross-sell for recent buyers.",
    window: (calendar) => ({
      start: eventOn(calendar, "black-friday").date,
      startName: "Black Friday",
      end: eventOn(calendar, "cyber-monday").date,
      endName: "Cyber Monday",
    }),
    percentOff: 20,
    discountCode: (year) => `CYBERWEEK${year}`,
  },
  christmas: {
    key: "christmas",
    name: "Christmas",
    saleName: "Christmas Sale",
    description:
      "From Green Monday to the standard shipping cut-off: VIP early access, a sale that ends when delivery by Christmas does, and shipping deadlines for lapsed customers.",
    window: christmasWindow,
    percentOff: 15,
    discountCode: (year) => `CHRISTMAS${year}`,
  },
};

/** Merchant-facing order: the four segments that matter most first (DESIGN.md), optional ones last. */
export const PLAYBOOK_SEGMENT_ORDER = [
  "vip",
  "price_sensitive",
  "lapsed",
  "recent",
  "regular",
  "prospect",
] as const satisfies readonly Segment[];
// A segment added to SEGMENTS but not to the order above fails to compile here.
const _everySegmentOrdered: [Exclude<Segment, (typeof PLAYBOOK_SEGMENT_ORDER)[number]>] extends [never]
  ? true
  : false = true;

interface PlanContext {
  playbook: Playbook;
  year: number;
  sale: SaleWindow;
  cutoff: { standard: LocalDate; express: LocalDate };
}

type SegmentPlan = Pick<
  CampaignDraft,
  | "name"
  | "goal"
  | "channels"
  | "channelMode"
  | "sends"
  | "startsAt"
  | "endsAt"
  | "discount"
  | "includeProducts"
  | "deliveryGuarantee"
  | "enabled"
>;

const send = (
  key: CampaignSend["key"],
  localDate: LocalDate,
  localTime = DEFAULT_SEND_TIME,
): CampaignSend => ({ key, localDate, localTime });

/** How each segment is treated in a playbook; adding a segment without a plan fails to compile. */
function segmentPlan(segment: Segment, { playbook, year, sale, cutoff }: PlanContext): SegmentPlan {
  const title = `${playbook.name} ${year}`;
  const saleDiscount = {
    type: "percent",
    percent: playbook.percentOff,
    code: playbook.discountCode(year),
  } as const;
  const base = {
    channelMode: "first",
    startsAt: sale.start,
    endsAt: sale.end,
    includeProducts: false,
    deliveryGuarantee: false,
    enabled: true,
  } as const;
  const launch = [send("launch", sale.start)];
  const dates = `${formatLocalDate(sale.start)} to ${formatLocalDate(sale.end)}`;
  switch (segment) {
    case "vip": {
      const early = addDays(sale.start, -EARLY_ACCESS_DAYS);
      return {
        ...base,
        name: `${title}: VIP early access`,
        goal: `Early access from ${formatLocalDate(early)}, ${EARLY_ACCESS_DAYS} days before ${sale.startName}: first pick before everyone else. No discount: protect margin.`,
        channels: ["email", "sms"],
        sends: [send("early_access", early)],
        startsAt: early,
        discount: { type: "none" },
      };
    }
    case "price_sensitive":
      return {
        ...base,
        name: `${title}: sale launch and last hours`,
        goal: `A short sale, ${dates}: ${playbook.percentOff}% off with code ${saleDiscount.code}, launched on ${sale.startName} and a last-hours reminder before it ends on ${sale.endName}.`,
        channels: ["sms", "email"],
        sends: [send("launch", sale.start), send("last_hours", sale.end, LAST_HOURS_SEND_TIME)],
        discount: saleDiscount,
      };
    case "lapsed":
      return {
        ...base,
        name: `${title}: delivery by Christmas`,
        goal: `Win lapsed customers back with a delivery promise, not a discount: order by ${formatLocalDate(cutoff.standard)} (standard) or ${formatLocalDate(cutoff.express)} (express shipping) for delivery by Christmas.`,
        channels: ["email"],
        sends: launch,
        discount: { type: "none" },
        deliveryGuarantee: true,
      };
    case "recent":
      return {
        ...base,
        name: `${title}: picked for you`,
        goal: "Cross-sell to recent buyers: products that go with what they bought, only products in stock and never one they already bought.",
        channels: ["email"],
        sends: launch,
        discount: { type: "none" },
        includeProducts: true,
      };
    case "regular":
    case "prospect":
      return {
        ...base,
        name: `${title}: sale announcement (${SEGMENT_TREATMENT[segment].label})`,
        goal: `Optional: announce the sale, ${dates}, with code ${saleDiscount.code}. Off until you switch it on.`,
        channels: ["email"],
        sends: launch,
        discount: saleDiscount,
        enabled: false,
      };
    default: {
      const unplanned: never = segment;
      throw new Error(`No ${playbook.name} plan for segment ${String(unplanned)}`);
    }
  }
}

/** The drafts of a playbook for a calendar already built (the CLI shows the calendar's notes too). */
export function playbookDrafts(key: PlaybookKey, calendar: SeasonCalendar): CampaignDraft[] {
  const playbook = PLAYBOOKS[key];
  const year = calendar.year;
  const sale = playbook.window(calendar);
  const cutoff = {
    standard: eventOn(calendar, "standard-shipping-cutoff").date,
    express: eventOn(calendar, "express-shipping-cutoff").date,
  };
  return PLAYBOOK_SEGMENT_ORDER.map((segment) => {
    const plan = segmentPlan(segment, { playbook, year, sale, cutoff });
    // Parsed so a default that breaks the campaign rules fails here, in tests, not in a merchant's form.
    return CampaignDraft.parse({
      key: `${key}-${year}:${segment}`,
      playbook: key,
      year,
      segment,
      ...plan,
      sends: sortSends(plan.sends),
      holdoutShare: DEFAULT_HOLDOUT_SHARE,
      shippingCutoff: cutoff,
    });
  });
}

export const BuildPlaybookInput = z.object({
  // Any text in (a CLI argument, a form field); a clear message out when it names no playbook.
  playbook: z
    .string({ required_error: "Playbook is required", invalid_type_error: "Playbook must be text" })
    .pipe(PlaybookKey),
  year: CalendarYear,
  countryCode: z.string({ invalid_type_error: 'Country must be a two-letter code like "US"' }).nullish(),
  shipping: ShippingCutoffs.default({}),
});
export type BuildPlaybookInput = z.input<typeof BuildPlaybookInput>;

/** One draft per segment for the playbook and year. Throws InvalidSettingsError naming each bad field. */
export function buildPlaybook(input: BuildPlaybookInput): CampaignDraft[] {
  const parsed = BuildPlaybookInput.safeParse(input);
  if (!parsed.success) throw new InvalidSettingsError("playbook settings", settingsIssues(parsed.error));
  const { playbook, year, countryCode, shipping } = parsed.data;
  return playbookDrafts(playbook, seasonCalendar({ year, countryCode, shipping }));
}
