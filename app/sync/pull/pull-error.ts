// What can stop `npm run cli -- pull`, each with its exit code and a one-line message that says
// what to fix. Pure.

export type PullErrorCode =
  | "USAGE"
  | "TOKEN_REFUSED"
  | "SCOPE_MISSING"
  | "SHOP_NOT_FOUND"
  | "EXPORT_FAILED"
  | "SHOPIFY_ERROR";

export class PullError extends Error {
  override name = "PullError";
  constructor(
    readonly code: PullErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** 2 usage, 3 the token is refused, 4 a scope is missing, 5 no such shop, 1 anything else. */
export function pullExitCode(code: PullErrorCode): number {
  switch (code) {
    case "USAGE":
      return 2;
    case "TOKEN_REFUSED":
      return 3;
    case "SCOPE_MISSING":
      return 4;
    case "SHOP_NOT_FOUND":
      return 5;
    case "EXPORT_FAILED":
    case "SHOPIFY_ERROR":
      return 1;
    default: {
      const unreachable: never = code;
      throw new Error(`unhandled ${String(unreachable)}`);
    }
  }
}
