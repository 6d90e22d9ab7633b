import { createHmac, timingSafeEqual } from "node:crypto";

// Twilio's signature on the requests it sends (status callbacks among them):
//
//   X-Twilio-Signature: base64(HMAC-SHA1(auth token, URL + name1 + value1 + name2 + value2 …))
//
// with the URL exactly as Twilio requested it (query string included) and the form-encoded POST
// parameters sorted by name, case-sensitively (byte order), values of a repeated name sorted too.

export const TWILIO_SIGNATURE_HEADER = "X-Twilio-Signature";

export type FormParams = ReadonlyArray<readonly [string, string]>;

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function twilioSignature(authToken: string, url: string, params: FormParams): string {
  const sorted = [...params].sort(([a, av], [b, bv]) => byCodeUnit(a, b) || byCodeUnit(av, bv));
  const hmac = createHmac("sha1", authToken).update(url, "utf8");
  for (const [name, value] of sorted) hmac.update(`${name}${value}`, "utf8");
  return hmac.digest("base64");
}

/**
 * True when `signature` is Twilio's for the parameters at one of `urls` (the app's public URL of
 * the request, and the URL the server saw, which differ behind a proxy). Constant-time compare.
 */
export function verifyTwilioSignature(args: {
  authToken: string;
  urls: readonly string[];
  params: FormParams;
  signature: string | null | undefined;
}): boolean {
  if (!args.signature || !args.authToken) return false;
  const given = Buffer.from(args.signature.trim(), "utf8");
  return args.urls.some((url) => {
    const expected = Buffer.from(twilioSignature(args.authToken, url, args.params), "utf8");
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}
