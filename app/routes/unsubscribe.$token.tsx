import { useEffect, useRef, type CSSProperties } from "react";
import {
  data,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { prisma } from "../db.server";
import { readBody } from "../http/read-body.server";
import { getJobQueue } from "../jobs/index.server";
import { logger } from "../logger.server";
import { getUnsubscribeSecret } from "../secrets.server";
import { isOneClickUnsubscribe } from "../messaging/unsubscribe/unsubscribe-headers";
import {
  readUnsubscribeLink,
  recordUnsubscribe,
  recordUnsubscribeEvent,
} from "../messaging/unsubscribe/unsubscribe.server";

// The unsubscribe link of a marketing message: public, outside the embedded admin, the signed token
// is the only credential. GET shows a one-button page (mail scanners follow links, so a GET
// changes nothing); POST unsubscribes at once, whether from that button or a mail provider's
// RFC 8058 one-click request (`List-Unsubscribe=One-Click`). The customer's email is never shown.

type Page =
  | { state: "invalid" }
  | { state: "ask" | "done"; shopName: string; channel: "email" | "sms"; error?: string };

const INVALID = { state: "invalid" } satisfies Page;

export const loader = async ({ params }: LoaderFunctionArgs) => {
  const read = await readUnsubscribeLink(prisma, params.token, getUnsubscribeSecret());
  if (!read.ok) {
    logger.info("unsubscribe link refused", { reason: read.reason });
    return data<Page>(INVALID, { status: 400 });
  }
  const { shopName, channel, unsubscribed } = read.link;
  return data<Page>({ state: unsubscribed ? "done" : "ask", shopName, channel });
};

// A one-click request is a line of form data; the page's button sends the same.
const MAX_FORM_BYTES = 4 * 1024;

/** The posted form, read only after the link checked out, and only up to MAX_FORM_BYTES. */
async function boundedForm(request: Request): Promise<FormData | "too large" | null> {
  const body = await readBody(request, MAX_FORM_BYTES);
  if (body === null) return "too large";
  const copy = new Request(request.url, { method: "POST", headers: request.headers, body });
  return copy.formData().catch(() => null);
}

export const action = async ({ params, request }: ActionFunctionArgs) => {
  const read = await readUnsubscribeLink(prisma, params.token, getUnsubscribeSecret());
  if (!read.ok) {
    logger.info("unsubscribe refused", { reason: read.reason });
    return data<Page>(INVALID, { status: 400 });
  }
  const { shop, shopName, channel, customerId } = read.link;
  const form = await boundedForm(request);
  if (form === "too large")
    return data<Page>(
      { state: "ask", shopName, channel, error: "That request was too large to be an unsubscribe request." },
      { status: 413 },
    );
  if (!form || !isOneClickUnsubscribe(form)) {
    return data<Page>(
      { state: "ask", shopName, channel, error: "That was not an unsubscribe request." },
      { status: 400 },
    );
  }
  const { queued, at } = await recordUnsubscribe({ prisma, queue: getJobQueue() }, read.link, read.installed);
  await recordUnsubscribeEvent(prisma, read.link, at);
  logger.info("unsubscribed", { shop, channel, customer: customerId, shopifyWriteBack: queued });
  return data<Page>({ state: "done", shopName, channel });
};

export const meta: MetaFunction = () => [{ title: "Unsubscribe" }, { name: "robots", content: "noindex" }];

// The token is a credential: not cached, not indexed, not sent on as a referrer.
export const headers: HeadersFunction = () => ({
  "Cache-Control": "no-store",
  "Referrer-Policy": "no-referrer",
  "X-Robots-Tag": "noindex",
});

const main: CSSProperties = {
  fontFamily: "system-ui, sans-serif",
  maxWidth: 520,
  margin: "4rem auto",
  padding: "0 1rem",
  lineHeight: 1.5,
};
const button: CSSProperties = {
  font: "inherit",
  padding: "0.6rem 1.4rem",
  borderRadius: 8,
  border: "1px solid #303030",
  background: "#303030",
  color: "#fff",
  cursor: "pointer",
};

export default function Unsubscribe() {
  const loaded = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>();
  const navigation = useNavigation();
  const page: Page = acted ?? loaded;
  // After the click the button is gone: focus the heading that says what happened.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (acted) heading.current?.focus();
  }, [acted]);

  if (page.state === "invalid")
    return (
      <main style={main}>
        <h1 ref={heading} tabIndex={-1}>
          This unsubscribe link does not work
        </h1>
        <p>
          It may be incomplete or changed. Open the link from the message again, or reply to the message and
          ask the shop to stop sending you marketing.
        </p>
      </main>
    );
  const what = page.channel === "sms" ? "text messages" : "emails";
  if (page.state === "done")
    return (
      <main style={main}>
        <h1 ref={heading} tabIndex={-1}>
          You are unsubscribed
        </h1>
        <p>
          {page.shopName} will not send you marketing {what} any more. Messages about your orders still reach
          you.
        </p>
      </main>
    );
  return (
    <main style={main}>
      <h1 ref={heading} tabIndex={-1}>
        Unsubscribe from {page.shopName} marketing {what}
      </h1>
      <p>
        One click, and {page.shopName} stops sending you marketing {what}.
      </p>
      {page.error ? <p role="alert">{page.error}</p> : null}
      <Form method="post">
        <input type="hidden" name="List-Unsubscribe" value="One-Click" />
        <button type="submit" style={button} disabled={navigation.state !== "idle"}>
          Unsubscribe
        </button>
      </Form>
    </main>
  );
}
