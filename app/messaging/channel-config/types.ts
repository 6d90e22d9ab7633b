import type { RedactedSettings } from "../channels/redact";
import type { ConnectionProblem } from "../channels/types";
import type { ChannelName } from "./channels";
import type { FieldErrors, FormValues } from "./form";

// What the Settings page gets back from the server. Secrets appear only as "set" / "not set".

/** Whether a channel may be used: the campaign scheduler refuses one that is not `testOk`. */
export interface ChannelReadiness {
  configured: boolean;
  /** the last "Test connection" of the current settings passed */
  testOk: boolean;
  testedAt: Date | null;
  testError: string | null;
}

export interface ChannelView {
  channel: ChannelName;
  kind: RedactedSettings["kind"];
  configured: boolean;
  /** null: not configured, or the stored settings cannot be opened (`unreadable` says why) */
  settings: RedactedSettings | null;
  unreadable: string | null;
  ratePerSecond: number | null;
  testOk: boolean;
  testedAt: string | null;
  testError: string | null;
}

export type SaveChannelResult =
  | { ok: true; channel: ChannelName; changed: boolean }
  | { ok: false; channel: ChannelName; errors: FieldErrors; values: FormValues };

export type TestChannelResult =
  | { ok: true; channel: ChannelName; detail: string }
  | { ok: false; channel: ChannelName; problem: ConnectionProblem; field?: string; message: string };

/** "Use the local sinks" (demo only): each channel set and tested, or why not. */
export type LocalSinksResult = { ok: true; results: TestChannelResult[] } | { ok: false; message: string };
