import { readChannelSettings } from "../channel-config/channel-config.server";
import {
  TWILIO_SIGNATURE_HEADER,
  verifyTwilioSignature,
  type FormParams,
} from "../channels/twilio-signature";
import { readBody } from "../../http/read-body.server";
import type { DeliveryEventDeps } from "./record.server";

// A request Twilio makes to the app for a shop (a status callback, an incoming message): POST
// only, a bounded form body, and X-Twilio-Signature made with the `?shop=` shop's auth token.
// Anything else is answered here (405, 413, 403) without reading or writing a row of the shop.

const MAX_BODY_BYTES = 64 * 1024;

export const textResponse = (status: number, body: string, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8", ...headers } });

/** The URL Twilio was given: the app's public origin with the path and query as received. */
function publicUrl(appUrl: string, url: URL): string | undefined {
  try {
    return `${new URL(appUrl).origin}${url.pathname}${url.search}`;
  } catch {
    return undefined;
  }
}

export type SignedTwilioRequest =
  { ok: true; url: URL; shop: string; params: FormParams } | { ok: false; response: Response };

/** `refused` names the request in the warning logged for a bad signature. */
export async function readSignedTwilioRequest(
  deps: Pick<DeliveryEventDeps, "prisma" | "box" | "appUrl" | "log">,
  request: Request,
  refused: string,
): Promise<SignedTwilioRequest> {
  if (request.method !== "POST")
    return { ok: false, response: textResponse(405, "Method not allowed", { Allow: "POST" }) };
  const url = new URL(request.url);
  const shop = url.searchParams.get("shop") ?? "";
  const body = await readBody(request, MAX_BODY_BYTES);
  if (body === null) return { ok: false, response: textResponse(413, "Request too large") };
  const settings = shop ? await readChannelSettings(deps, shop, "sms") : undefined;
  const params = [...new URLSearchParams(body.toString("utf8"))];
  const urls = [publicUrl(deps.appUrl, url), request.url].filter((u): u is string => u !== undefined);
  const signed =
    settings?.kind === "twilio" &&
    verifyTwilioSignature({
      authToken: settings.authToken,
      urls,
      params,
      signature: request.headers.get(TWILIO_SIGNATURE_HEADER),
    });
  if (!signed) {
    deps.log("warn", refused, { shop: shop.slice(0, 255), configured: settings !== undefined });
    return { ok: false, response: textResponse(403, "Forbidden") };
  }
  return { ok: true, url, shop, params };
}
