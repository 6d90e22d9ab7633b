import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

// Shopify's library answers 410 to anything `isbot` flags, which includes HeadlessChrome and
// Node's fetch; tests and the demo check present an ordinary desktop browser.
export const DESKTOP_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";

const SYSTEM_CHROMIUM = "/usr/bin/chromium";

// Flags that keep Chromium off the (closed) network and working as root in a container.
const OFFLINE_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * The browser the tests drive: `CHROMIUM_PATH` when set, else Debian's chromium when installed,
 * else the Chromium inside the `@sparticuz/chromium` npm package, so `npm install && npm test`
 * needs no system browser.
 */
export async function browserExecutable(): Promise<{ executablePath: string; args: string[] }> {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`CHROMIUM_PATH=${configured}: no such file`);
    return { executablePath: configured, args: OFFLINE_FLAGS };
  }
  if (existsSync(SYSTEM_CHROMIUM)) return { executablePath: SYSTEM_CHROMIUM, args: OFFLINE_FLAGS };
  const { default: packaged } = await import("@sparticuz/chromium");
  const executablePath = await packaged.executablePath();
  // Its own `args` are for AWS Lambda (--single-process, --disable-web-security): a second page
  // crashes the browser and security headers would go untested, so it runs with ours.
  return { executablePath, args: OFFLINE_FLAGS };
}

export async function launchBrowser(): Promise<Browser> {
  const { executablePath, args } = await browserExecutable();
  return chromium.launch({ executablePath, args });
}
