import type { MessageSource } from "./source";

// The app's sources of messages as one: a flow's id starts with "f_" (app/flows/ids.ts), anything
// else is a campaign's. The dispatcher and delivery reports see one MessageSource.

export const isFlowSourceId = (id: string): boolean => id.startsWith("f_");

export function routeSources(sources: { campaigns: MessageSource; flows: MessageSource }): MessageSource {
  const of = (id: string) => (isFlowSourceId(id) ? sources.flows : sources.campaigns);
  return {
    sendingStatuses: new Set([...sources.campaigns.sendingStatuses, ...sources.flows.sendingStatuses]),
    load: (shop, id) => of(id).load(shop, id),
    status: (shop, id) => of(id).status(shop, id),
    async sending() {
      const [campaigns, flows] = await Promise.all([sources.campaigns.sending(), sources.flows.sending()]);
      return [...campaigns, ...flows];
    },
    started: (shop, id) => of(id).started(shop, id),
    drained: (shop, id) => of(id).drained(shop, id),
    pause: (shop, id, reason) => of(id).pause(shop, id, reason),
    withdrawn: async (shop, id, rows) =>
      (await of(id).withdrawn?.(shop, id, rows)) ?? new Map<string, string>(),
  };
}
