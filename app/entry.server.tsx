import { PassThrough } from "node:stream";
import { renderToPipeableStream } from "react-dom/server";
import { RemixServer } from "@remix-run/react";
import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { isbot } from "isbot";
import { addDocumentResponseHeaders } from "./shopify.server";
import { allowEmulatorAdminToFrame } from "./demo-headers.server";
import { denyFraming, isEmbeddedPage } from "./http/frame-policy";
import { startWorker, stopWorker } from "./worker.server";
import { webhookIntake } from "./sync/handle-webhook.server";
import { trackingIntake } from "./messaging/tracking/tracking-intake.server";

export const streamTimeout = 5000;

// server.ts starts the job worker through the build (`build.entry.module.startWorker`); the Vite
// dev server (`shopify app dev`) has no server.ts, so it starts it here.
export { startWorker, stopWorker };
// ... and closes the database after the worker when it stops.
export { closeAppDatabase } from "./db.server";
// server.ts answers webhooks, open pixels and tracked links with these before Remix sees them (the
// same singletons as the build).
export { webhookIntake, trackingIntake };
if (import.meta.env.DEV) void startWorker();

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  if (isEmbeddedPage(new URL(request.url).pathname)) allowEmulatorAdminToFrame(responseHeaders);
  else denyFraming(responseHeaders);
  const userAgent = request.headers.get("user-agent");
  const callbackName = isbot(userAgent ?? "") ? "onAllReady" : "onShellReady";

  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      [callbackName]: () => {
        const body = new PassThrough();
        const stream = createReadableStreamFromReadable(body);
        responseHeaders.set("Content-Type", "text/html");
        resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
        pipe(body);
      },
      onShellError(error) {
        reject(error);
      },
      onError(error) {
        responseStatusCode = 500;
        console.error(error);
      },
    });
    setTimeout(abort, streamTimeout + 1000);
  });
}
