import type { ActionFunctionArgs } from "@remix-run/node";
import { deliveryEventDeps } from "../messaging.server";
import { handleTwilioInbound } from "../messaging/delivery-events/twilio-inbound.server";
import { onlyPost } from "../sync/handle-webhook.server";

// Texts customers send to the shop's Twilio number (its incoming-message webhook): public, signed
// with the shop's auth token; answered with TwiML.
export const action = ({ request }: ActionFunctionArgs) => handleTwilioInbound(deliveryEventDeps(), request);
export const loader = onlyPost;
