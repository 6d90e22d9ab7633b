/** Where a PostgreSQL DATABASE_URL points: a connection string for `pg` and the schema to use. */
export interface PostgresTarget {
  /** For `pg`; the `options` parameter sets `search_path` to `schema` and the session to UTC. */
  connectionString: string;
  schema: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Follows Prisma's convention: `?schema=name` selects the schema (default `public`). `pg` does not
 * know that parameter, so it becomes `options=-c search_path=name` (which raw SQL and migrations
 * rely on), and the schema is also handed to the Prisma adapter, which qualifies every table.
 * Sessions run in UTC: columns are `timestamp` (UTC by convention), so raw SQL casts and now() must
 * not depend on the server's default time zone. (It goes here because `pg` lets a URL's `options`
 * replace the `options` given next to it.)
 */
export function parsePostgresUrl(databaseUrl: string, sessionOptions: string[] = []): PostgresTarget {
  const url = new URL(databaseUrl);
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new Error("DATABASE_URL must start with postgres:// or postgresql://");
  }
  const schema = url.searchParams.get("schema") ?? "public";
  if (!IDENTIFIER.test(schema)) {
    throw new Error(`DATABASE_URL: schema "${schema}" must be a plain identifier (letters, digits, _)`);
  }
  url.searchParams.delete("schema");
  const options = [
    url.searchParams.get("options"),
    `-c search_path=${schema}`,
    "-c TimeZone=UTC",
    ...sessionOptions,
  ]
    .filter(Boolean)
    .join(" ");
  url.searchParams.set("options", options);
  return { connectionString: url.toString(), schema };
}
