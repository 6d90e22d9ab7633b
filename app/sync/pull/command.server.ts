import type { Writable } from "node:stream";
import { parsePullArgs, PULL_USAGE } from "./args";
import { runPull } from "./pull.server";
import { PullError, pullExitCode } from "./pull-error";
import { createShopAdmin } from "./shop-admin.server";

// `npm run cli -- pull …`, called by the command line's entry point, which hands in the
// environment, the clock and the timer.

export interface PullEnv {
  SHOPIFY_ADMIN_TOKEN?: string;
  /** demo and tests: the local emulator instead of Shopify; refused with NODE_ENV=production */
  SHOPIFY_EMULATOR_URL?: string;
  NODE_ENV?: string;
}

export interface PullIo {
  stderr(line: string): void;
  stdout: Writable;
  now(): number;
  sleep(ms: number): Promise<void>;
}

export async function pullCommand(argv: readonly string[], env: PullEnv, io: PullIo): Promise<number> {
  const parsed = parsePullArgs(argv, env.SHOPIFY_ADMIN_TOKEN);
  switch (parsed.kind) {
    case "help":
      io.stdout.write(PULL_USAGE);
      return 0;
    case "usage-error":
      io.stderr(`${parsed.message}\nRun with --help for usage.`);
      return 2;
    case "run":
      break;
    default: {
      const unreachable: never = parsed;
      throw new Error(`unhandled ${JSON.stringify(unreachable)}`);
    }
  }
  let emulatorUrl: URL | undefined;
  if (env.SHOPIFY_EMULATOR_URL) {
    if (env.NODE_ENV === "production") {
      io.stderr("SHOPIFY_EMULATOR_URL is set but NODE_ENV=production: refusing to send the pull anywhere but Shopify");
      return 2;
    }
    if (!URL.canParse(env.SHOPIFY_EMULATOR_URL)) {
      io.stderr("SHOPIFY_EMULATOR_URL is not a URL");
      return 2;
    }
    emulatorUrl = new URL(env.SHOPIFY_EMULATOR_URL);
    io.stderr(`note: SHOPIFY_EMULATOR_URL is set: talking to the emulator at ${emulatorUrl.origin}, not to Shopify`);
  }
  const admin = createShopAdmin({ ...parsed.options, emulatorUrl, sleep: io.sleep, log: io.stderr });
  try {
    await runPull(parsed.options, { admin, stderr: io.stderr, sleep: io.sleep, now: io.now });
    return 0;
  } catch (error) {
    if (!(error instanceof PullError)) throw error;
    io.stderr(error.message);
    return pullExitCode(error.code);
  }
}
