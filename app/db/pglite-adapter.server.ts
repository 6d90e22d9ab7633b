import { PGlite } from "@electric-sql/pglite";
import type { Prisma } from "@prisma/client";
import { PrismaPGlite } from "pglite-prisma-adapter";

// pglite-prisma-adapter 0.6 is built against Prisma's 6.10 adapter interface, where argTypes were
// names it ignored. Prisma 6.19 describes arguments as { scalarType, dbType, arity } and leaves
// conversions to the adapter. This bridge speaks 6.19 to the client and converts arguments the
// way @prisma/adapter-pg 6.19 does, so both modes store the same values.

type AdapterFactory = NonNullable<Prisma.PrismaClientOptions["adapter"]>;
type Adapter = Awaited<ReturnType<AdapterFactory["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;
type Query = Parameters<Adapter["queryRaw"]>[0];
type ArgType = Query["argTypes"][number];

type InnerAdapter = Awaited<ReturnType<PrismaPGlite["connect"]>>;
type InnerTransaction = Awaited<ReturnType<InnerAdapter["startTransaction"]>>;
type InnerQuery = Parameters<InnerAdapter["queryRaw"]>[0];

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

// Timestamps are stored as UTC wall time (timestamp(3) without time zone), like adapter-pg.
function formatDateTime(date: Date): string {
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}`
  );
}

function mapArg(arg: unknown, argType: ArgType | undefined): unknown {
  if (arg === null || argType === undefined) return arg;
  if (Array.isArray(arg) && argType.arity === "list") return arg.map((value) => mapArg(value, argType));
  const value = typeof arg === "string" && argType.scalarType === "datetime" ? new Date(arg) : arg;
  if (value instanceof Date) {
    if (argType.dbType === "DATE") return formatDateTime(value).slice(0, 10);
    if (argType.dbType === "TIME" || argType.dbType === "TIMETZ") return formatDateTime(value).slice(11);
    return formatDateTime(value);
  }
  if (typeof value === "string" && argType.scalarType === "bytes") return Buffer.from(value, "base64");
  if (Array.isArray(value) && argType.scalarType === "bytes") return Buffer.from(value);
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return value;
}

function prop(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? Reflect.get(value, key) : undefined;
}

// Prisma 6.19 turns adapter errors into P-codes by `cause.kind`; the 6.10-era adapter reports
// every database error as kind "postgres". Map them as adapter-pg does (P2002 for 23505 etc.).
class DriverAdapterError extends Error {
  override name = "DriverAdapterError";
  constructor(override readonly cause: Record<string, unknown>) {
    super(typeof cause.originalMessage === "string" ? cause.originalMessage : "database error");
  }
}

function fieldsOf(detail: unknown): { fields: string[] } | undefined {
  const fields = typeof detail === "string" ? /Key \(([^)]+)\)/.exec(detail)?.[1]?.split(", ") : undefined;
  return fields ? { fields } : undefined;
}

function translateError(error: unknown): unknown {
  const source = prop(error, "name") === "DriverAdapterError" ? prop(error, "cause") : error;
  const code = prop(source, "code");
  const message = prop(source, "message");
  if (
    typeof code !== "string" ||
    typeof message !== "string" ||
    typeof prop(source, "severity") !== "string"
  ) {
    return error;
  }
  const base = { originalCode: code, originalMessage: message };
  const detail = prop(source, "detail");
  switch (code) {
    case "23505":
      return new DriverAdapterError({
        ...base,
        kind: "UniqueConstraintViolation",
        constraint: fieldsOf(detail),
      });
    case "23502":
      return new DriverAdapterError({
        ...base,
        kind: "NullConstraintViolation",
        constraint: fieldsOf(detail),
      });
    case "23503": {
      const column = prop(source, "column");
      const constraint = prop(source, "constraint");
      return new DriverAdapterError({
        ...base,
        kind: "ForeignKeyConstraintViolation",
        constraint:
          typeof column === "string"
            ? { fields: [column] }
            : typeof constraint === "string"
              ? { index: constraint }
              : undefined,
      });
    }
    case "22001":
      return new DriverAdapterError({ ...base, kind: "LengthMismatch", column: prop(source, "column") });
    case "22003":
      return new DriverAdapterError({ ...base, kind: "ValueOutOfRange", cause: message });
    case "40001":
      return new DriverAdapterError({ ...base, kind: "TransactionWriteConflict" });
    default:
      return new DriverAdapterError({
        ...base,
        kind: "postgres",
        code,
        severity: prop(source, "severity"),
        message,
        detail,
        column: prop(source, "column"),
        hint: prop(source, "hint"),
      });
  }
}

async function translated<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw translateError(error);
  }
}

function toInner(query: Query): InnerQuery {
  return {
    sql: query.sql,
    args: query.args.map((arg, i) => mapArg(arg, query.argTypes[i])),
    argTypes: query.argTypes.map(() => "Unknown"),
  };
}

function bridgeTransaction(inner: InnerTransaction): Transaction {
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    options: inner.options,
    queryRaw: (query) => translated(() => inner.queryRaw(toInner(query))),
    executeRaw: (query) => translated(() => inner.executeRaw(toInner(query))),
    commit: () => translated(() => inner.commit()),
    rollback: () => translated(() => inner.rollback()),
  };
}

function bridgeAdapter(pglite: PGlite, inner: InnerAdapter, onDispose: () => Promise<void>): Adapter {
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    queryRaw: (query) => translated(() => inner.queryRaw(toInner(query))),
    executeRaw: (query) => translated(() => inner.executeRaw(toInner(query))),
    // The inner one does not await PGlite's exec, so its errors would escape.
    executeScript: (script) =>
      translated(async () => {
        await pglite.exec(script);
      }),
    startTransaction: async (isolationLevel) =>
      bridgeTransaction(await translated(() => inner.startTransaction(isolationLevel))),
    getConnectionInfo: () => inner.getConnectionInfo?.() ?? { supportsRelationJoins: true },
    async dispose() {
      await inner.dispose();
      await onDispose();
    },
  };
}

export type PgliteAdapterFactory = AdapterFactory & { connectToShadowDb(): Promise<Adapter> };

/**
 * A Prisma adapter factory over an open PGlite. `onDispose` runs when Prisma disconnects; the
 * PGlite instance itself is the caller's to close. The shadow database (Prisma CLI only) is an
 * in-memory PGlite.
 */
export function pgliteAdapter(
  pglite: PGlite,
  onDispose: () => Promise<void> = async () => {},
): PgliteAdapterFactory {
  const factory = new PrismaPGlite(pglite);
  return {
    provider: "postgres",
    adapterName: factory.adapterName,
    connect: async () => bridgeAdapter(pglite, await factory.connect(), onDispose),
    async connectToShadowDb() {
      const shadow = await PGlite.create();
      return bridgeAdapter(shadow, await new PrismaPGlite(shadow).connect(), () => shadow.close());
    },
  };
}
