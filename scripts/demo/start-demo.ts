import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { startEmulator, type Emulator } from "../../test/emulator/index";
import { adminAppPath } from "../../test/emulator/admin-host";
import { openAdminPage } from "./admin-request";
import { readAppConfig } from "./app-config";
import { ensureBuild } from "./build";

export interface DemoOptions {
  port?: number;
  emulatorPort?: number;
  apiKey: string;
  apiSecret: string;
  shop: string;
  customers: number;
  seed: number;
  dataDir: string;
  databaseUrl?: string;
  log?: (line: string) => void;
  /** Open the app once from the admin, as a merchant installing it does (starts the backfill). */
  install?: boolean;
  /** The end of the store's history: `npm run demo` passes its start; tests keep the fixed default. */
  until?: Date;
  /** Aborting stops the start-up: what was started is stopped, and startDemo rejects. */
  signal?: AbortSignal;
  /** More of the app's environment (app/env.server.ts), e.g. a test's smaller CAMPAIGN_BACKGROUND_PLAN_FROM. */
  env?: Record<string, string>;
}

export interface Demo {
  appUrl: string;
  adminUrl: string;
  emulator: Emulator;
  readonly app: ChildProcess;
  /**
   * Stops the app process (SIGKILL by default: a crash) and starts it again on the same data;
   * `whileStopped` runs in between (the embedded database can be opened only then).
   */
  restartApp(signal?: NodeJS.Signals, whileStopped?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the emulator with a generated store and the built app wired to it, as `npm run demo` does. */
export async function startDemo(options: DemoOptions): Promise<Demo> {
  const log = options.log ?? (() => undefined);
  const signal = options.signal ?? new AbortController().signal;
  await ensureBuild(log, signal);
  signal.throwIfAborted();
  const port = options.port ?? (await freePort());
  const appUrl = `http://127.0.0.1:${port}`;
  const config = readAppConfig();
  const emulator = await startEmulator({
    port: options.emulatorPort,
    apiKey: options.apiKey,
    apiSecret: options.apiSecret,
    appUrl,
    webhooks: config.webhooks,
    scopes: config.scopes,
    shops: [{ domain: options.shop, seed: options.seed, customers: options.customers, until: options.until }],
  });
  // Stable across restarts of this demo's app, so jobs queued before a crash are picked up after it.
  const redisPrefix = `demo-${port}-${Date.now().toString(36)}`;
  const spawnApp = () =>
    spawn(process.execPath, ["--import", "tsx", "server.ts"], {
      env: {
        ...process.env,
        NODE_ENV: "development",
        PORT: String(port),
        SHOPIFY_API_KEY: options.apiKey,
        SHOPIFY_API_SECRET: options.apiSecret,
        SHOPIFY_APP_URL: appUrl,
        SCOPES: config.scopes,
        SHOPIFY_EMULATOR_URL: emulator.url,
        APP_BRIDGE_URL: `${emulator.url}/app-bridge.js`,
        DATA_DIR: options.dataDir,
        DATABASE_URL: options.databaseUrl ?? "",
        // With REDIS_URL set, each demo's queue is its own: a stale job from another run or
        // test would otherwise reach this app's workers.
        REDIS_PREFIX: redisPrefix,
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
  let app = spawnApp();
  const stopApp = async (signalName: NodeJS.Signals) => {
    const running = app;
    if (running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill(signalName);
    // The app stops its workers and database within seconds; one that hangs is ended.
    const force = setTimeout(() => running.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(force);
  };
  try {
    await waitForApp(app, appUrl, log, signal);
    if (options.install) {
      const page = await openAdminPage(appUrl, emulator, options.shop);
      if (page.status !== 200) throw new Error(`opening the app from the admin failed: HTTP ${page.status}`);
    }
    signal.throwIfAborted();
  } catch (error) {
    await stopApp("SIGTERM");
    await emulator.close();
    throw error;
  }
  return {
    appUrl,
    adminUrl: `${emulator.url}${adminAppPath(options.shop, options.apiKey)}`,
    emulator,
    get app() {
      return app;
    },
    async restartApp(signalName = "SIGKILL", whileStopped) {
      await stopApp(signalName);
      await whileStopped?.();
      app = spawnApp();
      await waitForApp(app, appUrl, log, signal);
    },
    async stop() {
      await stopApp("SIGTERM");
      await emulator.close();
    },
  };
}

async function waitForApp(
  app: ChildProcess,
  appUrl: string,
  log: (line: string) => void,
  signal: AbortSignal,
): Promise<void> {
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    for (const line of chunk.toString().split("\n").filter(Boolean)) log(`[app] ${line}`);
  };
  app.stdout?.on("data", collect);
  app.stderr?.on("data", collect);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    signal.throwIfAborted();
    if (app.exitCode !== null) throw new Error(`the app exited with code ${app.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${appUrl}/`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the app did not answer within 60 s:\n${output}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
