import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env.server";

const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://app.example.com",
};

describe("parseEnv", () => {
  it("applies defaults", () => {
    const env = parseEnv(valid);
    expect(env.PORT).toBe(3000);
    expect(env.DATA_DIR).toBe("data");
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SCOPES).toContain("read_all_orders");
  });

  it("names a missing variable in one line", () => {
    expect(() => parseEnv({ ...valid, SHOPIFY_API_SECRET: undefined })).toThrow(
      new EnvError("Invalid environment: SHOPIFY_API_SECRET is required"),
    );
  });

  it("treats an empty string as unset", () => {
    expect(() => parseEnv({ ...valid, SHOPIFY_API_KEY: "" })).toThrow("SHOPIFY_API_KEY is required");
    expect(parseEnv({ ...valid, DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
  });

  it("names a malformed variable and shows the bad value unless it is secret", () => {
    expect(() => parseEnv({ ...valid, PORT: "eighty" })).toThrow(
      /^Invalid environment: PORT .*\(got "eighty"\)$/,
    );
    expect(() => parseEnv({ ...valid, SHOPIFY_APP_URL: "not a url" })).toThrow(
      /SHOPIFY_APP_URL .*got "not a url"/,
    );
    const error = (() => {
      try {
        parseEnv({ ...valid, DATABASE_URL: "mysql://user:hunter2@db/x" });
      } catch (e) {
        return e;
      }
    })();
    expect(String(error)).toMatch(/DATABASE_URL must start with postgres:\/\/ or postgresql:\/\//);
    expect(String(error)).not.toContain("hunter2");
  });

  it("refuses the emulator in production", () => {
    expect(() =>
      parseEnv({ ...valid, NODE_ENV: "production", SHOPIFY_EMULATOR_URL: "http://127.0.0.1:9999" }),
    ).toThrow("SHOPIFY_EMULATOR_URL must not be set when NODE_ENV=production");
    expect(
      parseEnv({ ...valid, NODE_ENV: "test", SHOPIFY_EMULATOR_URL: "http://127.0.0.1:9999" })
        .SHOPIFY_EMULATOR_URL,
    ).toBe("http://127.0.0.1:9999");
  });

  it("requires a 32-byte ENCRYPTION_KEY in production, and never echoes it", () => {
    const key = "ab".repeat(32);
    expect(() => parseEnv({ ...valid, NODE_ENV: "production" })).toThrow(
      "Invalid environment: ENCRYPTION_KEY is required when NODE_ENV=production",
    );
    expect(parseEnv({ ...valid, NODE_ENV: "production", ENCRYPTION_KEY: key }).ENCRYPTION_KEY).toBe(key);
    expect(parseEnv({ ...valid, ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64") }).ENCRYPTION_KEY).toBeDefined();
    expect(() => parseEnv({ ...valid, ENCRYPTION_KEY: "short-key" })).toThrow(
      /^Invalid environment: ENCRYPTION_KEY must be 32 bytes: 64 hex digits, or 43 base64 or base64url characters \(an optional = at the end\)$/,
    );
  });
});

describe("ENCRYPTION_KEY at start and in the secret box", () => {
  it("the environment accepts exactly the keys the secret box seals with", async () => {
    const fc = (await import("fast-check")).default;
    const { createSecretBox, decodeKey } = await import("./messaging/channels/secret-box.server");
    const seals = (text: string) => {
      try {
        return createSecretBox(decodeKey(text)).decrypt(createSecretBox(decodeKey(text)).encrypt("x")) === "x";
      } catch {
        return false;
      }
    };
    const starts = (text: string) => {
      try {
        parseEnv({ ...valid, ENCRYPTION_KEY: text });
        return true;
      } catch (error) {
        expect(String(error)).toMatch(/^EnvError: Invalid environment: ENCRYPTION_KEY must be 32 bytes: [^\n]+$/);
        return false;
      }
    };
    const text = fc.oneof(
      fc.uint8Array({ minLength: 31, maxLength: 33 }).chain((a) =>
        fc.constantFrom(
          Buffer.from(a).toString("hex"),
          Buffer.from(a).toString("base64"),
          Buffer.from(a).toString("base64url"),
          ` ${Buffer.from(a).toString("hex")} `,
          `!!${Buffer.from(a).toString("base64")}`,
          `${Buffer.from(a).toString("base64")}==`,
        ),
      ),
      fc.string({ minLength: 1, maxLength: 70 }),
    );
    fc.assert(
      fc.property(text, (value) => {
        expect(starts(value)).toBe(seals(value));
      }),
      { numRuns: 1000 },
    );
  });
});
