import type { ActionFunctionArgs } from "@remix-run/node";
import { deliveryEventDeps } from "../messaging.server";
import { handleTwilioStatus } from "../messaging/delivery-events/twilio-status.server";
import { onlyPost } from "../sync/handle-webhook.server";

// Twilio's delivery reports (each message's StatusCallback): public, signed with the shop's auth token.
export const action = ({ request }: ActionFunctionArgs) => handleTwilioStatus(deliveryEventDeps(), request);
export const loader = onlyPost;
