import { PrismaClientKnownRequestError } from "@prisma/client/runtime/library";
import { describe, expect, it } from "vitest";
import { isConnectionError } from "./connection-errors";

// The shapes below are the ones these libraries produce (read from @prisma/adapter-pg's error
// mapping and from a worker's log when the rehearsal terminated its connections).

const adapterError = (cause: Record<string, unknown>) =>
  Object.assign(new Error(String(cause.message ?? cause.kind)), { name: "DriverAdapterError", cause });

describe("isConnectionError", () => {
  it("knows a connection the server terminated, however it is wrapped", () => {
    // Prisma's raw query error keeps the adapter's error in meta (the message is checked separately)
    const raw = new PrismaClientKnownRequestError("Raw query failed.", {
      code: "P2010",
      clientVersion: "6.19.0",
      meta: { driverAdapterError: adapterError({ kind: "postgres", code: "57P01", originalCode: "57P01" }) },
    });
    expect(isConnectionError(raw)).toBe(true);
    expect(
      isConnectionError(
        adapterError({
          kind: "postgres",
          code: "57P01",
          message: "terminating connection due to administrator command",
        }),
      ),
    ).toBe(true);
    expect(isConnectionError(adapterError({ kind: "ConnectionClosed" }))).toBe(true);
    expect(isConnectionError(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }))).toBe(true);
    expect(isConnectionError(new Error("Connection terminated unexpectedly"))).toBe(true);
    // node-postgres, on a pooled client whose connection died between two statements
    expect(
      isConnectionError(new Error("Client has encountered a connection error and is not queryable")),
    ).toBe(true);
    expect(
      isConnectionError(new Error("wrapped", { cause: adapterError({ kind: "TooManyConnections" }) })),
    ).toBe(true);
  });

  it("takes a deadlock or a serialization failure as worth retrying as it was", () => {
    expect(
      isConnectionError(adapterError({ kind: "postgres", code: "40P01", message: "deadlock detected" })),
    ).toBe(true);
    const conflict = new PrismaClientKnownRequestError("write conflict", {
      code: "P2034",
      clientVersion: "6.19.0",
    });
    expect(isConnectionError(conflict)).toBe(true);
  });

  it("leaves the statement's own errors to the caller", () => {
    const unique = new PrismaClientKnownRequestError("Unique constraint failed", {
      code: "P2002",
      clientVersion: "6.19.0",
    });
    expect(isConnectionError(unique)).toBe(false);
    expect(
      isConnectionError(adapterError({ kind: "postgres", code: "22P02", message: "invalid input syntax" })),
    ).toBe(false);
    expect(isConnectionError(adapterError({ kind: "UniqueConstraintViolation" }))).toBe(false);
    expect(isConnectionError(new Error("order 5: total_price is not a decimal"))).toBe(false);
    expect(isConnectionError("57P01")).toBe(false);
    expect(isConnectionError(null)).toBe(false);
  });
});
