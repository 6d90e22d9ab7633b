// What a text a customer sends to the shop's number asks for. A keyword counts only as the whole
// message (as carriers and Twilio match them: "STOP" stops, "please stop sending" is a message to
// a person), compared without case, surrounding spaces or end punctuation; spaces, hyphens and
// underscores inside are ignored so "Opt out", "opt-out" and "STOP ALL" count. CTIA's and
// Twilio's lists, which include the FCC's revocation words (stop, quit, end, revoke, opt out,
// cancel, unsubscribe). Pure.

export const SMS_KEYWORD_KINDS = ["stop", "help", "start"] as const;
export type SmsKeywordKind = (typeof SMS_KEYWORD_KINDS)[number];

export const STOP_KEYWORDS = [
  "STOP",
  "STOPALL",
  "UNSUBSCRIBE",
  "CANCEL",
  "END",
  "QUIT",
  "REVOKE",
  "OPTOUT",
] as const;
export const HELP_KEYWORDS = ["HELP", "INFO"] as const;
export const START_KEYWORDS = ["START", "YES", "UNSTOP"] as const;

const KIND_OF = new Map<string, SmsKeywordKind>([
  ...STOP_KEYWORDS.map((k): [string, SmsKeywordKind] => [k, "stop"]),
  ...HELP_KEYWORDS.map((k): [string, SmsKeywordKind] => [k, "help"]),
  ...START_KEYWORDS.map((k): [string, SmsKeywordKind] => [k, "start"]),
]);

// Longer than any keyword with generous spacing and punctuation: no need to look further.
const MAX_KEYWORD_MESSAGE = 40;
const EDGE_PUNCTUATION = /^[\s.,!?;:'"()[\]*…¡¿-]+|[\s.,!?;:'"()[\]*…¡¿-]+$/g;

/** The keyword a whole message is, or null for anything else. */
export function smsKeyword(body: string): SmsKeywordKind | null {
  if (body.length > MAX_KEYWORD_MESSAGE) return null;
  const word = body.replace(EDGE_PUNCTUATION, "").replace(/[\s_-]+/g, "");
  // ASCII letters only: toUpperCase would also turn "ſtop" (long s) into STOP.
  if (!/^[A-Za-z]+$/.test(word)) return null;
  return KIND_OF.get(word.toUpperCase()) ?? null;
}

/**
 * Twilio's own reading of the message (`OptOutType`, sent when the number belongs to a Messaging
 * Service with Advanced Opt-Out), which also knows the merchant's custom keywords there.
 */
export function optOutTypeKeyword(optOutType: string | undefined): SmsKeywordKind | null {
  switch (optOutType?.trim().toUpperCase()) {
    case "STOP":
      return "stop";
    case "HELP":
      return "help";
    case "START":
      return "start";
    default:
      return null;
  }
}
