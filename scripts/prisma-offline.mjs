#!/usr/bin/env node
// Runs the Prisma CLI without letting it download native engines (there is no internet here,
// and we do not need them): the client uses engineType "client" + driver adapters and the CLI
// uses the JS schema engine configured in prisma.config.ts. Prisma only downloads an engine
// whose path is not given, so point the engine variables at an existing file.
//
//   node scripts/prisma-offline.mjs <prisma args…>        e.g. `generate`, `migrate status`
//   node scripts/prisma-offline.mjs new-migration <name>  writes prisma/migrations/<ts>_<name>/
//
// `new-migration` exists because `prisma migrate dev` and `migrate diff --from-migrations` fail
// with driver adapters in 6.19 (the PGlite shadow database rejects multi-statement scripts;
// adapter-pg cannot read the `name` type, prisma/prisma#27403). Instead it applies the existing
// migrations to a throwaway PGlite, introspects it and diffs that against schema.prisma.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const placeholder = fileURLToPath(import.meta.url);
const cli = require.resolve("prisma/build/index.js");

const baseEnv = { ...process.env };
for (const name of [
  "PRISMA_QUERY_ENGINE_LIBRARY",
  "PRISMA_QUERY_ENGINE_BINARY",
  "PRISMA_SCHEMA_ENGINE_BINARY",
]) {
  baseEnv[name] ??= placeholder;
}
// No update check or telemetry: both would wait on the network.
baseEnv.CHECKPOINT_DISABLE ??= "1";
baseEnv.PRISMA_HIDE_UPDATE_MESSAGE ??= "1";
baseEnv.PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING ??= "1";

function prisma(args, { env = baseEnv, capture = false } = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    env,
    stdio: capture ? ["inherit", "pipe", "inherit"] : "inherit",
    encoding: "utf8",
  });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, stdout: result.stdout ?? "" };
}

function newMigration(name) {
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    console.error("usage: npm run db:migrate:dev -- <name>   (lower-case letters, digits and _)");
    return 1;
  }
  const scratch = mkdtempSync(path.join(tmpdir(), "prisma-new-migration-"));
  // An empty DATABASE_URL makes prisma.config.ts pick PGlite in DATA_DIR.
  const env = { ...baseEnv, DATABASE_URL: "", DATA_DIR: scratch };
  try {
    if (prisma(["migrate", "deploy"], { env, capture: true }).status !== 0) return 1;
    const pulled = prisma(["db", "pull", "--print"], { env, capture: true });
    if (pulled.status !== 0) return 1;
    // The CLI prints a driver-adapter warning on stdout before the schema.
    const start = pulled.stdout.search(/^(generator|datasource) /m);
    const current = path.join(scratch, "current.prisma");
    writeFileSync(current, start >= 0 ? pulled.stdout.slice(start) : pulled.stdout);
    const diff = prisma(
      [
        "migrate",
        "diff",
        "--from-schema-datamodel",
        current,
        "--to-schema-datamodel",
        "prisma/schema.prisma",
        "--script",
        "--exit-code",
      ],
      { env, capture: true },
    );
    if (diff.status === 0) {
      console.log("No schema changes: no migration created.");
      return 0;
    }
    if (diff.status !== 2) return 1;
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join("prisma", "migrations", `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "migration.sql"), diff.stdout.slice(diff.stdout.search(/^--/m)));
    console.log(`Created ${dir}/migration.sql — review it, then commit it. The app applies it on start.`);
    return 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const [command, ...rest] = process.argv.slice(2);
process.exitCode = command === "new-migration" ? newMigration(rest[0]) : prisma(process.argv.slice(2)).status;
