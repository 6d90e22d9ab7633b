import type { LoaderFunctionArgs } from "@remix-run/node";
import { prisma } from "../db.server";
import { followClick, requesterOf } from "../messaging/tracking/engagement.server";
import { getTrackingSecret } from "../secrets.server";

// A tracked link of a sent message: the click is recorded, then a 302 to the link's destination.
export const loader = ({ params, request }: LoaderFunctionArgs) =>
  followClick({ prisma, secret: getTrackingSecret() }, params.token, requesterOf(request));
