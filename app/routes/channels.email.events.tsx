import type { ActionFunctionArgs } from "@remix-run/node";
import { deliveryEventDeps } from "../messaging.server";
import { handleEmailEvent } from "../messaging/delivery-events/email-events.server";
import { onlyPost } from "../sync/handle-webhook.server";

// Bounces and complaints reported by the shop's ESP: public, signed with the email channel's events secret.
export const action = ({ request }: ActionFunctionArgs) => handleEmailEvent(deliveryEventDeps(), request);
export const loader = onlyPost;
