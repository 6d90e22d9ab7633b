import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://app.example.com",
  PORT: "3999",
};

function start(env: Partial<NodeJS.ProcessEnv>) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("SHOPIFY_") && key !== "DATABASE_URL"),
  );
  return spawnSync(process.execPath, ["--import", "tsx", "server.ts"], {
    env: { NODE_ENV: "test", ...clean, ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
}

describe("starting the app with a bad environment", () => {
  it("stops with one line naming a missing variable", () => {
    const result = start({ ...valid, SHOPIFY_API_SECRET: undefined });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("Invalid environment: SHOPIFY_API_SECRET is required\n");
  });

  it("stops with one line naming a malformed variable", () => {
    const result = start({ ...valid, DATABASE_URL: "mysql://localhost/db" });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      "Invalid environment: DATABASE_URL must start with postgres:// or postgresql://\n",
    );
  });

  it("names a bad port", () => {
    const result = start({ ...valid, PORT: "0" });
    expect(result.stderr).toBe('Invalid environment: PORT must be a port number from 1 to 65535 (got "0")\n');
  });

  it("refuses to route Shopify traffic to an emulator in production", () => {
    const result = start({ ...valid, NODE_ENV: "production", SHOPIFY_EMULATOR_URL: "http://127.0.0.1:9" });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'Invalid environment: SHOPIFY_EMULATOR_URL must not be set when NODE_ENV=production (got "http://127.0.0.1:9")\n',
    );
  });

  it("refuses an ENCRYPTION_KEY the secret box would refuse, in one line that does not echo it", () => {
    // base64 of 32 bytes with characters base64 has not: Buffer.from(…, "base64") skips them, the box does not
    const key = `!!${Buffer.alloc(32, 9).toString("base64")}`;
    const result = start({ ...valid, NODE_ENV: "production", ENCRYPTION_KEY: key });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      "Invalid environment: ENCRYPTION_KEY must be 32 bytes: 64 hex digits, or 43 base64 or base64url characters (an optional = at the end)\n",
    );
  });
});
