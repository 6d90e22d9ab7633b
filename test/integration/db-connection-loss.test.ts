import { describe, expect, it } from "vitest";
import { createDatabase } from "~/db.server";
import { postgresTarget, postgresUrl } from "./helpers/db";

// The server ending a session in the middle of a transaction (a restart, a failover) must cost that
// transaction, never one of the pool's connections: more such losses than the pool has connections
// (pg's default is 10), and the client still answers and closes.

describe.runIf(postgresUrl)("a lost connection (PostgreSQL)", () => {
  it("gives the pool its connection back when the server ends a transaction's session", async () => {
    const target = await postgresTarget(postgresUrl ?? "");
    const db = await createDatabase({ databaseUrl: target.databaseUrl });
    try {
      for (let i = 0; i < 12; i++) {
        await expect(
          db.prisma.$transaction(async (tx) => {
            await tx.$queryRawUnsafe("SELECT pg_terminate_backend(pg_backend_pid())");
          }),
        ).rejects.toThrow();
      }
      const answered = await Promise.race([
        db.prisma.$queryRawUnsafe<Array<{ one: number }>>("SELECT 1 AS one"),
        new Promise<"no answer">((resolve) => setTimeout(() => resolve("no answer"), 5_000)),
      ]);
      expect(answered).toEqual([{ one: 1 }]);
    } finally {
      const closed = await Promise.race([
        db.close().then(() => "closed"),
        new Promise<string>((resolve) => setTimeout(() => resolve("still open"), 5_000)),
      ]);
      await target.cleanup();
      expect(closed).toBe("closed");
    }
  });
});
