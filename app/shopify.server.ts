import "@shopify/shopify-app-remix/adapters/node";
import { AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { prisma } from "./db.server";
import { getEnv } from "./env.server";
import { loginThroughEmulatorAdmin, routeShopifyTrafficToEmulator } from "./shopify-emulator.server";
import { logger } from "./logger.server";
import { getSecretBox } from "./secrets.server";
import { sealedSessionStorage } from "./shopify-sessions.server";
import { recordInstall } from "./shops.server";
import { getJobQueue } from "./jobs/index.server";
import { ADMIN_API_VERSION } from "./admin-api/version";
import { syncIfNeeded } from "./sync/start-sync.server";
import { queueStorefrontDeadlines } from "./storefront/deadlines-job";

const env = getEnv();

if (env.SHOPIFY_EMULATOR_URL) routeShopifyTrafficToEmulator(env.SHOPIFY_EMULATOR_URL, env.NODE_ENV);

export const apiVersion = ADMIN_API_VERSION;

const shopify = shopifyApp({
  apiKey: env.SHOPIFY_API_KEY,
  apiSecretKey: env.SHOPIFY_API_SECRET,
  apiVersion,
  scopes: env.SCOPES.split(","),
  appUrl: env.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  // Admin tokens are sealed at rest (ENCRYPTION_KEY), like channel secrets.
  sessionStorage: sealedSessionStorage(new PrismaSessionStorage(prisma), getSecretBox(), { warn: logger.warn }),
  distribution: AppDistribution.AppStore,
  future: {
    unstable_newEmbeddedAuthStrategy: true,
  },
  hooks: {
    afterAuth: async ({ session }) => {
      await recordInstall(prisma, { shop: session.shop, scopes: session.scope ?? "" });
      await syncIfNeeded(prisma, getJobQueue(), session.shop);
      await queueStorefrontDeadlines(getJobQueue(), session.shop, `install:${Date.now()}`);
    },
  },
  ...(env.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [env.SHOP_CUSTOM_DOMAIN] } : {}),
});

export default shopify;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
// In the demo, "open Shopify admin" means the emulator's admin page.
export const login = env.SHOPIFY_EMULATOR_URL
  ? loginThroughEmulatorAdmin(shopify.login, env.SHOPIFY_EMULATOR_URL, env.NODE_ENV)
  : shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
