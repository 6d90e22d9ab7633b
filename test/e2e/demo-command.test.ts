import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/demo/start-demo";
import { DESKTOP_USER_AGENT, launchBrowser } from "../support/browser";
import { groupMembers, listeningPorts, portIsFree } from "../support/process-group";

// `npm run demo` as a developer runs it, in a process group of its own as a terminal gives it: the
// first URL it prints opens the app, no URL it prints ends in a server error, and Ctrl-C (SIGINT to
// the group) or SIGTERM (to npm alone, as `kill` or a supervisor sends it) stops every process it
// started and frees every port they listened on.

/** The URL of the app in the local admin, wherever the demo prints it. */
const ADMIN_URL = /(http:\/\/127\.0\.0\.1:\d+\/store\/demo-store\/apps\/[^\s|]+)/;
const dirs: string[] = [];
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface DemoRun {
  child: ChildProcess;
  pgid: number;
  output(): string;
  /** Resolves with the first match of `pattern` in stdout once it appears. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startDemoCommand(customers: number): Promise<DemoRun> {
  const dataDir = mkdtempSync(join(tmpdir(), "demo-command-"));
  dirs.push(dataDir);
  const child = spawn("npm", ["run", "demo", "--", "--customers", String(customers), "--seed", "5"], {
    detached: true,
    env: {
      ...process.env,
      PORT: String(await freePort()),
      EMULATOR_PORT: String(await freePort()),
      DATA_DIR: dataDir,
      // the demo's default embedded database; REDIS_URL, when CI sets it, puts its jobs on BullMQ
      DATABASE_URL: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error("npm run demo did not start");
  return {
    child,
    pgid: pid,
    output: () => `${stdout}\n--- stderr ---\n${stderr}`,
    async waitFor(pattern, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(stdout);
        if (match) return match;
        if (child.exitCode !== null || Date.now() > deadline)
          throw new Error(`no ${pattern} in the demo's output:\n${stdout}\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    exited,
  };
}

/** Runs `body` on a started `npm run demo`; whatever happens, nothing of it is left running. */
async function withDemoCommand(customers: number, body: (run: DemoRun) => Promise<void>): Promise<void> {
  const run = await startDemoCommand(customers);
  try {
    await body(run);
  } finally {
    if (groupMembers(run.pgid).length > 0) process.kill(-run.pgid, "SIGKILL");
  }
}

/** Sends `signal`, then waits until no process of the group is left; the ports it held must be free. */
async function expectStopped(
  run: DemoRun,
  send: () => void,
): Promise<{ code: number | null; ports: number[] }> {
  const ports = listeningPorts(run.pgid);
  send();
  const deadline = Date.now() + 40_000;
  while (groupMembers(run.pgid).length > 0 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  const left = groupMembers(run.pgid);
  expect(left, `processes left in the group:\n${run.output()}`).toEqual([]);
  const { code } = await run.exited;
  for (const port of ports) expect(await portIsFree(port), `port ${port} still taken`).toBe(true);
  return { code, ports };
}

async function openPage(url: string): Promise<{ page: Page; statuses: number[] }> {
  const page = await browser.newPage({ userAgent: DESKTOP_USER_AGENT });
  const statuses: number[] = [];
  page.on("response", (response) => {
    if (response.request().isNavigationRequest()) statuses.push(response.status());
  });
  await page.goto(url);
  return { page, statuses };
}

describe("npm run demo", () => {
  it("prints the admin URL first, which opens the app; every URL it prints answers; Ctrl-C stops it all", async () => {
    await withDemoCommand(300, async (run) => {
      const [, adminUrl = ""] = await run.waitFor(ADMIN_URL);
      const ready = await run.waitFor(/^press Ctrl\+C to stop$/m);
      const printed =
        run
          .output()
          .slice(0, ready.index)
          .match(/https?:\/\/[^\s'",)|]+/g) ?? [];
      expect.soft(printed[0], "the first URL printed").toBe(adminUrl);

      // The admin URL shows the app in the admin's frame, with the store's figures.
      const admin = await openPage(adminUrl);
      const app = admin.page.frameLocator("iframe#app");
      await expect.poll(() => app.getByText("Customers synced").count(), { timeout: 30_000 }).toBe(1);
      await expect
        .poll(() => app.getByText("Demo Store", { exact: true }).count(), { timeout: 30_000 })
        .toBe(1);
      await admin.page.close();

      // Every URL printed answers without a server error.
      const appServer = /^app(?: server)?:\s+(http:\/\/127\.0\.0\.1:\d+)/m.exec(run.output())?.[1] ?? "";
      expect(appServer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      for (const url of new Set(printed.filter((u) => !u.endsWith("/emulator/webhooks")))) {
        const { page, statuses } = await openPage(url);
        expect(statuses.length, url).toBeGreaterThan(0);
        expect(
          statuses.every((s) => s < 500),
          `${url}: ${statuses.join(" → ")}`,
        ).toBe(true);
        await page.close();
      }

      // The app server's own page and an app page opened outside the admin ask for the shop, then
      // open the app in the admin.
      for (const start of [appServer, `${appServer}/app`]) {
        const direct = await openPage(start);
        expect(
          direct.statuses.every((s) => s < 500),
          `${start}: ${direct.statuses.join(" → ")}`,
        ).toBe(true);
        await direct.page.getByLabel("Shop domain").fill("demo-store");
        await direct.page.getByRole("button", { name: "Log in" }).click();
        await direct.page.waitForURL((url) => url.href.startsWith(adminUrl), { timeout: 30_000 });
        const framed = direct.page.frameLocator("iframe#app");
        await expect.poll(() => framed.getByText("Customers synced").count(), { timeout: 30_000 }).toBe(1);
        await direct.page.close();
      }

      const stopped = await expectStopped(run, () => process.kill(-run.pgid, "SIGINT"));
      expect(stopped.ports.length).toBeGreaterThanOrEqual(2); // the app and the emulator at least
      expect(stopped.code).toBe(0);
    });
  }, 240_000);

  it("stops everything on SIGTERM to npm alone, while the backfill runs", async () => {
    await withDemoCommand(2_000, async (run) => {
      await run.waitFor(ADMIN_URL);
      await run.waitFor(/^sync: /m);
      const stopped = await expectStopped(run, () => run.child.kill("SIGTERM"));
      expect(stopped.ports.length).toBeGreaterThanOrEqual(2);
      expect(run.output()).not.toMatch(/^backfill completed/m);
    });
  }, 180_000);

  it("stops everything on SIGINT to npm alone, during start-up", async () => {
    await withDemoCommand(300, async (run) => {
      await run.waitFor(/^starting the local Shopify emulator/m);
      // the app process is starting (its server not yet answering, or just)
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await expectStopped(run, () => run.child.kill("SIGINT"));
    });
  }, 180_000);
});
