#!/usr/bin/env node
// Runs the Prisma CLI without letting it download native engines (there is no internet here,
// and we do not need them): the client uses engineType "client" + driver adapters and the CLI
// uses the JS schema engine configured in prisma.config.ts. Prisma only downloads an engine
// whose path is not given, so point the engine variables at an existing file.
// Usage: node scripts/prisma-offline.mjs <prisma args…>   e.g. `generate`, `migrate dev --create-only`
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const placeholder = fileURLToPath(import.meta.url);

const env = { ...process.env };
for (const name of [
  "PRISMA_QUERY_ENGINE_LIBRARY",
  "PRISMA_QUERY_ENGINE_BINARY",
  "PRISMA_SCHEMA_ENGINE_BINARY",
]) {
  env[name] ??= placeholder;
}
// No update check or telemetry: both would wait on the network.
env.CHECKPOINT_DISABLE ??= "1";
env.PRISMA_HIDE_UPDATE_MESSAGE ??= "1";
env.PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING ??= "1";

const cli = require.resolve("prisma/build/index.js");
const child = spawn(process.execPath, [cli, ...process.argv.slice(2)], { stdio: "inherit", env });
child.on("exit", (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
