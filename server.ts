// Production (and demo) server: applies pending migrations, then serves the Remix build.
// Development against real Shopify uses `shopify app dev` (Vite) instead; see README.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import { pathToFileURL } from "node:url";
import express from "express";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { getEnv } from "./app/env.server";
import { createDatabase } from "./app/db.server";

const env = getEnv();
const buildPath = resolve("build/server/index.js");
if (!existsSync(buildPath)) {
  process.stderr.write("No build found at build/server/index.js: run `npm run build` first\n");
  process.exit(1);
}

// Migrate with a short-lived connection; the app opens its own once the build loads.
const migration = await createDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
await migration.close();

const build: ServerBuild = await import(pathToFileURL(buildPath).href);
const entry = build.entry.module;
const app = express();
app.disable("x-powered-by");
// Webhooks skip Remix: at peak they come by the thousand per second and need none of it.
const webhookIntake = "webhookIntake" in entry ? entry.webhookIntake : undefined;
if (typeof webhookIntake === "function") {
  app.post(
    "/webhooks/*",
    (req: IncomingMessage, res: ServerResponse, next: () => void) => void webhookIntake(req, res, next),
  );
}
// Open pixels and tracked links too: a campaign's opens and clicks come as fast, each one statement.
const trackingIntake = "trackingIntake" in entry ? entry.trackingIntake : undefined;
if (typeof trackingIntake === "function") {
  app.get("/t/*", (req: IncomingMessage, res: ServerResponse, next: () => void) =>
    trackingIntake(req, res, next),
  );
}
app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
app.use(express.static("build/client", { maxAge: "1h" }));
app.all("*", createRequestHandler({ build, mode: env.NODE_ENV }));

const startWorker = "startWorker" in entry ? entry.startWorker : undefined;
const stopWorker = "stopWorker" in entry ? entry.stopWorker : undefined;
const closeDatabase = "closeAppDatabase" in entry ? entry.closeAppDatabase : undefined;
if (typeof startWorker === "function") await startWorker();

const server = app.listen(env.PORT, "0.0.0.0", () => {
  process.stdout.write(`app listening on http://127.0.0.1:${env.PORT}\n`);
});

// Stop taking requests, let the worker finish its jobs, close the database (PGlite's files), exit.
// Once: a terminal's Ctrl-C and the demo's SIGTERM may both arrive.
let stopping = false;
function shutdown() {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(0), 10_000).unref();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  void (async () => {
    try {
      if (typeof stopWorker === "function") await stopWorker();
      await closed;
      if (typeof closeDatabase === "function") await closeDatabase();
    } finally {
      process.exit(0);
    }
  })();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
