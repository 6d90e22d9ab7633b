import type { Prisma } from "@prisma/client";

// Prisma ends an interactive transaction by sending COMMIT or ROLLBACK and only then hands the
// connection back to the pool. When the server has just ended the session (a restart, a failover,
// pg_terminate_backend), that statement fails and the connection is never handed back: each such
// transaction keeps one of the pool's connections for good, and a worker whose pool ran out waits
// forever. The adapter here hands the connection back when COMMIT or ROLLBACK fails (the pool
// drops a dead one) and makes a second hand-back harmless.

type AdapterFactory = NonNullable<Prisma.PrismaClientOptions["adapter"]>;
type DriverAdapter = Awaited<ReturnType<AdapterFactory["connect"]>>;
type Transaction = Awaited<ReturnType<DriverAdapter["startTransaction"]>>;

const ENDINGS = new Set(["COMMIT", "ROLLBACK"]);

function releasedOnFailedEnd(tx: Transaction): Transaction {
  const commit = tx.commit.bind(tx);
  const rollback = tx.rollback.bind(tx);
  const executeRaw = tx.executeRaw.bind(tx);
  let ended = false;
  const end = async (how: () => Promise<void>) => {
    if (ended) return;
    ended = true;
    await how();
  };
  tx.commit = () => end(commit);
  tx.rollback = () => end(rollback);
  tx.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (error) {
      if (ENDINGS.has(query.sql.trim().toUpperCase())) await end(rollback).catch(() => undefined);
      throw error;
    }
  };
  return tx;
}

/** `factory`'s adapter, with transactions that give their connection back even when ending them fails. */
export function releasingBrokenTransactions(factory: AdapterFactory): AdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const adapter = await factory.connect();
      const start = adapter.startTransaction.bind(adapter);
      adapter.startTransaction = async (isolationLevel) => releasedOnFailedEnd(await start(isolationLevel));
      return adapter;
    },
  };
}
