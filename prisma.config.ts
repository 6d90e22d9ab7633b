import { mkdirSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";

// The CLI's JS schema engine talks through the same driver adapters as the app, so no native
// engine is needed: PostgreSQL when DATABASE_URL is set, else embedded PGlite in DATA_DIR.
async function adapter() {
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    const { PrismaPg } = await import("@prisma/adapter-pg");
    return new PrismaPg({ connectionString: databaseUrl });
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  const dataDir = path.resolve(process.env.DATA_DIR || "data", "pglite");
  mkdirSync(dataDir, { recursive: true });
  return new PrismaPGlite(new PGlite(dataDir));
}

// The schema's datasource needs a URL to parse, though every connection goes through the adapter.
process.env.PRISMA_UNUSED_DATASOURCE_URL ??= "postgresql://unused@localhost/driver-adapter";

export default defineConfig({
  experimental: { adapter: true },
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  engine: "js",
  adapter,
});
