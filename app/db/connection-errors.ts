// Whether a database error says the connection or the server failed, not the statement: the same
// work succeeds once the pool has a live connection again, so it is retried as it was rather than
// taken apart (a batch of webhooks split into one job each would take many times as long).
// The errors come as Prisma's own (a raw query's PostgreSQL code in `meta.code`), as the driver
// adapter's (`cause.kind`, or `cause.code` for a PostgreSQL error), or as node-postgres' and the
// socket's errors.

// SQLSTATE: 08 connection exception, 57P01–57P03 the server shutting down or not yet up, 53300 too
// many connections, 40001/40P01 serialization failure and deadlock (the transaction is rolled back).
const TRANSIENT_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300|40001|40P01)$/;
const TRANSIENT_ADAPTER_KINDS = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
  "TransactionWriteConflict",
]);
// Prisma: P1001 unreachable, P1002 timed out, P1008 operation timed out, P1017 server closed the
// connection, P2024 pool timeout, P2028 the transaction was closed under it, P2034 write conflict.
const TRANSIENT_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2028", "P2034"]);
const TRANSIENT_SOCKET_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT"]);
const TRANSIENT_MESSAGES =
  /Connection terminated|terminating connection|server closed the connection|not queryable|Connection ended unexpectedly/i;

const field = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null ? Reflect.get(value, key) : undefined;
const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** True when `error` (or an error it wraps) is the connection's or the server's, not the statement's. */
export function isConnectionError(error: unknown): boolean {
  const queue: unknown[] = [error];
  for (let seen = 0; queue.length > 0 && seen < 10; seen++) {
    const current = queue.shift();
    if (typeof current !== "object" || current === null) continue;
    for (const key of ["code", "originalCode"]) {
      const code = text(field(current, key));
      if (
        code &&
        (TRANSIENT_SQLSTATE.test(code) ||
          TRANSIENT_SOCKET_CODES.has(code) ||
          TRANSIENT_PRISMA_CODES.has(code))
      )
        return true;
    }
    const kind = text(field(current, "kind"));
    if (kind && TRANSIENT_ADAPTER_KINDS.has(kind)) return true;
    const message = text(field(current, "message"));
    if (message && TRANSIENT_MESSAGES.test(message)) return true;
    // Prisma keeps the driver adapter's error in `meta`; the adapter's, the driver's in `cause`.
    queue.push(
      field(current, "cause"),
      field(field(current, "meta"), "driverAdapterError"),
      field(current, "meta"),
    );
  }
  return false;
}
