import { recordOptOuts } from "../unsubscribe/opt-out.server";
import type { DeliveryEventDb, DeliveryEventDeps } from "./record.server";
import { optOutTypeKeyword, smsKeyword } from "./sms-keywords";
import { helpReply, normalizePhone, twiml, TwilioInboundMessage } from "./twilio-inbound";
import { readSignedTwilioRequest, textResponse } from "./twilio-request.server";

// POST /channels/twilio/inbound?shop=… (twilio-inbound.ts has the URL): a text a customer sent to
// the shop's number. Signed with the shop's auth token, else 403 and nothing is read or written.
// A STOP-like reply ends the SMS consent of the shop's customers with that phone number, here and
// in Shopify; HELP gets who is texting, how often and how to stop; everything else, START among
// it, is acknowledged with empty TwiML. Never logged: the phone number and the message.

const reply = (messages: readonly string[] = []) =>
  new Response(twiml(messages), { status: 200, headers: { "Content-Type": "text/xml; charset=utf-8" } });

/** The shop's customers with this E.164 number (Shopify stores E.164; other forms are normalised). */
async function customersByPhone(prisma: DeliveryEventDb, shop: string, phone: string): Promise<bigint[]> {
  const rows = await prisma.customer.findMany({
    where: { shop, phone: { endsWith: phone.slice(-4) } },
    select: { id: true, phone: true },
  });
  return rows.filter((row) => normalizePhone(row.phone) === phone).map((row) => row.id);
}

async function optOut(deps: DeliveryEventDeps, shop: string, from: string): Promise<Response> {
  const phone = normalizePhone(from);
  const customers = phone ? await customersByPhone(deps.prisma, shop, phone) : [];
  if (customers.length === 0) {
    deps.log("info", "sms opt-out from a number no customer has", { shop });
    return reply();
  }
  const { created, queued } = await recordOptOuts(deps, shop, "sms", customers);
  deps.log("info", "sms opt-out by reply", { shop, customers: customers.length, created, queued });
  // No confirmation of ours: on long codes and toll-free numbers Twilio (or the carrier) already
  // sends its standard opt-out confirmation, and the FCC allows one confirmation text, not two.
  return reply();
}

async function help(deps: DeliveryEventDeps, shop: string): Promise<Response> {
  const [shopRow, smsCapHours] = await Promise.all([
    deps.prisma.shop.findUnique({ where: { domain: shop }, select: { name: true } }),
    deps.smsCapHours(shop),
  ]);
  deps.log("info", "sms help answered", { shop });
  return reply([
    helpReply({ shopName: shopRow?.name?.trim() || shop, smsCapHours }),
  ]);
}

export async function handleTwilioInbound(deps: DeliveryEventDeps, request: Request): Promise<Response> {
  const signed = await readSignedTwilioRequest(deps, request, "twilio incoming message refused");
  if (!signed.ok) return signed.response;
  const parsed = TwilioInboundMessage.safeParse(Object.fromEntries(signed.params));
  if (!parsed.success) return textResponse(400, "Not an incoming message");
  const message = parsed.data;
  const keyword = smsKeyword(message.Body) ?? optOutTypeKeyword(message.OptOutType);
  switch (keyword) {
    case "stop":
      return optOut(deps, signed.shop, message.From);
    case "help":
      return help(deps, signed.shop);
    case "start":
      // Not a re-subscribe: SMS marketing consent must be the customer's explicit opt-in through
      // Shopify's own flows (checkout, forms, customer accounts), which keep when and how it was
      // given. START only lifts Twilio's block on this number; consent and suppressions stay.
      deps.log("info", "sms start received: consent unchanged", { shop: signed.shop });
      return reply();
    case null:
      return reply();
    default: {
      const never: never = keyword;
      throw new Error(`unknown keyword ${String(never)}`);
    }
  }
}
