import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const BUILD_ENTRY = "build/server/index.js";

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

/** Builds the Remix app when there is no build or the sources changed since the last one. */
export function ensureBuild(log: (line: string) => void): void {
  const sources = Math.max(newestMtime("app"), statSync("vite.config.ts").mtimeMs);
  if (existsSync(BUILD_ENTRY) && statSync(BUILD_ENTRY).mtimeMs >= sources) return;
  log("building the app (remix vite:build)…");
  const result = spawnSync("npx", ["remix", "vite:build"], {
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(`remix vite:build failed:\n${result.stdout}\n${result.stderr}`);
  }
}
