import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
import { acquirePglite } from "./app/db/pglite.server";
import { pgliteAdapter } from "./app/db/pglite-adapter.server";
import { parsePostgresUrl } from "./app/db/postgres-url";

// The CLI's JS schema engine talks through the same driver adapters as the app, so no native
// engine is needed: PostgreSQL when DATABASE_URL is set, else embedded PGlite in
// ${DATA_DIR:-data}/pglite. Run the CLI through scripts/prisma-offline.mjs.
async function adapter() {
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    const { connectionString, schema } = parsePostgresUrl(databaseUrl);
    return new PrismaPg({ connectionString }, { schema });
  }
  const { pglite } = await acquirePglite(process.env.DATA_DIR || "data");
  return pgliteAdapter(pglite);
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
