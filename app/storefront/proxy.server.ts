import { prisma } from "../db.server";
import { getEnv } from "../env.server";
import { readBody } from "../http/read-body.server";
import { getJobQueue } from "../jobs/index.server";
import { logger } from "../logger.server";
import { getConfirmationSecret } from "../secrets.server";
import { authenticate } from "../shopify.server";
import { sendSignupConfirmationJob } from "./jobs";
import { confirmSignup } from "./signup/confirm-signup.server";
import { signupLocale, type SignupLocale } from "./signup/messages";
import { resultJson, resultPage, type ResultPage } from "./signup/result-page";
import { signUp, type ProxyShopper } from "./signup/sign-up.server";

// The app proxy's routes (/apps/holiday/* on the storefront, /proxy/* here). Shopify signs the query
// (authenticate.public.appProxy refuses a forged or stale one with 400 before anything is read);
// the body is not signed, so it is bounded here and every field checked by the stage.

/** A signup form is a few hundred bytes; its two disclosures at most 2,000 characters each. */
const MAX_FORM_BYTES = 16_384;

const log = (line: string) => logger.info(line);

function shopperOf(request: Request): ProxyShopper {
  const url = new URL(request.url);
  const customer = url.searchParams.get("logged_in_customer_id") ?? "";
  return {
    shop: url.searchParams.get("shop") ?? "",
    loggedInCustomerId: /^\d{1,20}$/.test(customer) ? BigInt(customer) : null,
    ip: request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || null,
    userAgent: request.headers.get("user-agent"),
  };
}

const wantsJson = (request: Request) => (request.headers.get("accept") ?? "").includes("application/json");

function answer(
  request: Request,
  liquid: (body: string, init: ResponseInit) => Response,
  page: ResultPage & { state?: string },
  status: number,
): Response {
  if (wantsJson(request)) return Response.json(resultJson(page), { status, headers: { "Cache-Control": "no-store" } });
  return liquid(resultPage(page), { status, headers: { "Cache-Control": "no-store" } });
}

export async function handleSignup(request: Request): Promise<Response> {
  const { admin, liquid } = await authenticate.public.appProxy(request);
  const shopper = shopperOf(request);
  const unavailable = (locale: SignupLocale, status: number) =>
    answer(request, liquid, { ok: false, message: "unavailable", locale, returnTo: "/" }, status);
  if (request.method !== "POST") return unavailable("en", 405);
  if (!admin) return unavailable("en", 503);
  const body = await readBody(request, MAX_FORM_BYTES);
  if (body === null) return unavailable("en", 413);
  const result = await signUp(
    {
      prisma,
      admin,
      now: () => new Date(),
      confirm: (job) => getJobQueue().enqueue(sendSignupConfirmationJob, job, { shop: job.shop }).then(() => undefined),
      log,
    },
    shopper,
    new URLSearchParams(body.toString("utf8")),
  );
  if (result.ok) return answer(request, liquid, { ...result, state: result.outcome }, 200);
  return answer(request, liquid, result, result.status);
}

export async function handleConfirm(request: Request): Promise<Response> {
  const { admin, liquid } = await authenticate.public.appProxy(request);
  const url = new URL(request.url);
  const locale = signupLocale(url.searchParams.get("locale"));
  if (!admin) return answer(request, liquid, { ok: false, message: "unavailable", locale, returnTo: "/" }, 503);
  const result = await confirmSignup(
    { prisma, admin, secret: getConfirmationSecret(), now: () => new Date(), log },
    shopperOf(request),
    url.searchParams.get("token") ?? "",
  );
  return answer(request, liquid, { ...result, locale, returnTo: "/" }, result.ok ? 200 : 400);
}

/** Where the shop's storefront is: the emulator's in the demo, else the primary domain. */
export function storefrontRoot(shop: string, primaryDomain: string | null): string {
  const emulator = getEnv().SHOPIFY_EMULATOR_URL;
  if (emulator) return `${emulator.replace(/\/$/, "")}/s/${shop}/`;
  return `https://${primaryDomain ?? shop}/`;
}
