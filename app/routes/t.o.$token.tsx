import type { LoaderFunctionArgs } from "@remix-run/node";
import { prisma } from "../db.server";
import { recordOpen, requesterOf } from "../messaging/tracking/engagement.server";
import { getTrackingSecret } from "../secrets.server";

// The open pixel of a sent email: always a 1×1 GIF; a valid token's open is recorded first.
export const loader = ({ params, request }: LoaderFunctionArgs) =>
  recordOpen({ prisma, secret: getTrackingSecret() }, params.token, requesterOf(request));
