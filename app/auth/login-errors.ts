import { LoginErrorType, type LoginError } from "@shopify/shopify-app-remix/server";

// What `login(request)` says about a shop domain, in the merchant's words. Pure.

export function loginErrorMessage(result: LoginError): { shop?: string } {
  switch (result.shop) {
    case undefined:
      return {};
    case LoginErrorType.MissingShop:
      return { shop: "Enter your shop domain to log in, e.g. my-store.myshopify.com" };
    case LoginErrorType.InvalidShop:
      return { shop: "Enter a valid shop domain to log in, e.g. my-store.myshopify.com" };
    default: {
      const unknown: never = result.shop;
      throw new Error(`unknown login error ${String(unknown)}`);
    }
  }
}
