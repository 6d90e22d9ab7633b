import { spawn } from "node:child_process";
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
export async function ensureBuild(log: (line: string) => void, signal: AbortSignal): Promise<void> {
  const sources = Math.max(newestMtime("app"), statSync("vite.config.ts").mtimeMs);
  if (existsSync(BUILD_ENTRY) && statSync(BUILD_ENTRY).mtimeMs >= sources) return;
  log("building the app (remix vite:build)…");
  // Not spawnSync: a Ctrl-C during the build must reach this process's handlers (and stop the build).
  const build = spawn("npx", ["remix", "vite:build"], { stdio: ["ignore", "pipe", "pipe"], signal });
  let output = "";
  build.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  build.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    build.once("error", reject);
    build.once("close", resolve);
  });
  if (code !== 0) throw new Error(`remix vite:build failed:\n${output}`);
}
