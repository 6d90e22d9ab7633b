import { z } from "zod";
import { ENCRYPTION_KEY_RULE, parseEncryptionKey } from "./messaging/channels/encryption-key";

const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .url()
    .refine((value) => protocols.some((p) => value.startsWith(`${p}://`)), {
      message: `must start with ${protocols.map((p) => `${p}://`).join(" or ")}`,
    })
    .optional();

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    SHOPIFY_API_KEY: z.string().min(1),
    SHOPIFY_API_SECRET: z.string().min(1),
    SHOPIFY_APP_URL: z.string().url(),
    SCOPES: z
      .string()
      .regex(/^[a-z_]+(,[a-z_]+)*$/, "must be a comma-separated list of scopes")
      .default(
        "read_customers,write_customers,read_orders,read_all_orders,read_products,write_marketing_events,write_app_proxy",
      ),
    SHOP_CUSTOM_DOMAIN: z.string().optional(),
    PORT: z.coerce
      .number({ invalid_type_error: "must be a port number" })
      .int("must be a whole number")
      .min(1, "must be a port number from 1 to 65535")
      .max(65535, "must be a port number from 1 to 65535")
      .default(3000),
    DATABASE_URL: optionalUrl(["postgres", "postgresql"]),
    DATA_DIR: z.string().min(1).default("data"),
    REDIS_URL: optionalUrl(["redis", "rediss"]),
    // BullMQ key prefix: apps (or test runs) sharing one Redis must each have their own.
    REDIS_PREFIX: z
      .string()
      .regex(/^[a-zA-Z0-9_-]+$/, "must be letters, digits, - or _")
      .default("holiday"),
    // Demo and tests only: route Shopify traffic to the local emulator. Refused in production.
    SHOPIFY_EMULATOR_URL: optionalUrl(["http", "https"]),
    APP_BRIDGE_URL: z.string().url().optional(),
    // Jobs this process runs at once; 0 = a web-only process (scale mode with separate workers).
    JOB_CONCURRENCY: z.coerce.number().int("must be a whole number").min(0).max(64).default(4),
    // Dispatch ticks this process runs at once, on workers apart from the other jobs.
    DISPATCH_CONCURRENCY: z.coerce.number().int("must be a whole number").min(1).max(64).default(4),
    // Jobs calling Shopify's Admin API (Flow triggers, tags, consent) this process runs at once.
    SHOPIFY_API_CONCURRENCY: z.coerce.number().int("must be a whole number").min(1).max(16).default(2),
    // Campaigns with this many customers or more are planned by a background job, not in the request.
    CAMPAIGN_BACKGROUND_PLAN_FROM: z
      .string()
      .regex(/^\d{1,9}$/, "must be a whole number of customers, like 50000")
      .default("50000")
      .transform(Number),
    LOG_LEVEL: z.enum(["error", "warn", "info", "debug"]).default("info"),
    // 32 bytes (64 hex digits or base64) sealing channel secrets at rest; required in production.
    // Elsewhere a key is derived from SHOPIFY_API_SECRET so the demo and tests need no setup.
    ENCRYPTION_KEY: z
      .string()
      .refine((value) => parseEncryptionKey(value).ok, { message: ENCRYPTION_KEY_RULE })
      .optional(),
    // Unsubscribe tokens are signed with this (at least 16 characters); defaults to SHOPIFY_API_SECRET.
    UNSUBSCRIBE_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  })
  .refine((env) => !(env.NODE_ENV === "production" && env.SHOPIFY_EMULATOR_URL), {
    message: "must not be set when NODE_ENV=production",
    path: ["SHOPIFY_EMULATOR_URL"],
  })
  .refine((env) => !(env.NODE_ENV === "production" && !env.ENCRYPTION_KEY), {
    message: "is required when NODE_ENV=production",
    path: ["ENCRYPTION_KEY"],
  });

export type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {
  override name = "EnvError";
}

/** Validates an environment; the error names the first bad variable in one line. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings count as unset, as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = EnvSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = issue?.path.join(".") || "environment";
  const got = typeof source[name] === "string" ? ` (got "${source[name]}")` : "";
  const isSecret = /SECRET|KEY|PASSWORD|TOKEN/.test(name) || name === "DATABASE_URL" || name === "REDIS_URL";
  throw new EnvError(
    `Invalid environment: ${name} ${issue?.code === "invalid_type" && !source[name] ? "is required" : (issue?.message ?? "is invalid")}${isSecret ? "" : got}`,
  );
}

let cached: Env | undefined;

/** The process environment, validated once. A bad variable stops the process with one clear line. */
export function getEnv(): Env {
  if (cached) return cached;
  try {
    cached = parseEnv(process.env);
    return cached;
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
