import { Badge, BlockStack, DataTable, Text } from "@shopify/polaris";
import { formatCalendarDate } from "../format-time";

export interface CalendarEvent {
  key: string;
  name: string;
  date: string;
  kind: string;
  rule: string;
  publicHoliday: boolean;
  past: boolean;
}

const KIND_LABELS: Record<string, string> = {
  retail: "Shopping day",
  gift: "Gift day",
  shipping: "Shipping cut-off",
  public_holiday: "Public holiday",
};


/** The season's events from today on (the rest of the year is one click away: the year field). */
export function SeasonCalendar({ events, notes }: { events: CalendarEvent[]; notes: string[] }) {
  const upcoming = events.filter((e) => !e.past);
  return (
    <BlockStack gap="200">
      {notes.map((note) => (
        <Text as="p" tone="subdued" key={note}>
          {note}
        </Text>
      ))}
      {upcoming.length === 0 ? (
        <Text as="p">Every event of this year has passed: pick next year.</Text>
      ) : (
        <DataTable
          columnContentTypes={["text", "text", "text", "text"]}
          headings={["Date", "Event", "Kind", "Rule"]}
          rows={upcoming.map((e) => [
            formatCalendarDate(e.date),
            e.name,
            <span key={e.key}>
              {KIND_LABELS[e.kind] ?? e.kind} {e.publicHoliday && e.kind !== "public_holiday" ? <Badge>public holiday</Badge> : null}
            </span>,
            e.rule,
          ])}
        />
      )}
    </BlockStack>
  );
}
