import { ApiVersion } from "@shopify/shopify-api";

/** The Admin API version of every request the app and its command lines make (test/emulator/schema has its schema). */
export const ADMIN_API_VERSION = ApiVersion.October26;
