import type {
  ChannelView,
  LocalSinksResult,
  SaveChannelResult,
  TestChannelResult,
} from "../../messaging/channel-config/types";

// What Settings → Channels loads and what its form posts answer: shared by its route, its server
// code and its components, so the components need not reach into a route module.

export interface ChannelsPageData {
  channels: ChannelView[];
  /** only the demo offers the local sinks */
  localSinks: boolean;
  /** where the Twilio number sends the texts customers reply with */
  smsInboundUrl: string;
}

export type ChannelActionResult =
  | ({ intent: "save" } & SaveChannelResult)
  | ({ intent: "test" } & TestChannelResult)
  | ({ intent: "use-local-sinks" } & LocalSinksResult)
  | { intent: "invalid"; ok: false; message: string };

/** What a post answers the page (an invalid one is a 400 instead). */
export type ChannelPostResult = Exclude<ChannelActionResult, { intent: "invalid" }>;
