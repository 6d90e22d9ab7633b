import type { PrismaClient } from "@prisma/client";
import type { Sinks } from "../emulator/sinks";

// The faults a peak brings, injected on a schedule: a worker killed (SIGKILL) and another started,
// the database dropping the app's connections, a provider refusing for a while.

export interface FaultRecord {
  fault: string;
  at: string;
  detail: string;
}

export interface FaultPlan {
  atMs: number;
  name: string;
  inject: () => Promise<string>;
}

/** Ends every PostgreSQL connection the app and its workers hold (they share an application_name). */
export async function dropConnections(prisma: PrismaClient, applicationName: string): Promise<string> {
  const rows = await prisma.$queryRawUnsafe<Array<{ n: bigint }>>(
    `SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()`,
    applicationName,
  );
  return `${String(rows[0]?.n ?? 0n)} connections terminated`;
}

/** The email and SMS providers refuse for `seconds`: 421 then 451 (SMTP), 429 with Retry-After then 500 (SMS). */
export function providerOutage(sinks: Sinks, seconds: number): string {
  const half = (seconds * 1_000) / 2;
  sinks.failNext({ channel: "smtp", status: 421, message: "4.3.2 Try again later", forMs: half });
  sinks.failNext({
    channel: "smtp",
    status: 451,
    message: "4.3.0 Temporary failure",
    forMs: seconds * 1_000,
  });
  sinks.failNext({ channel: "twilio", status: 429, retryAfterSeconds: 1, forMs: half });
  sinks.failNext({ channel: "twilio", status: 500, forMs: seconds * 1_000 });
  return `SMTP 421 then 451, SMS 429 (Retry-After: 1) then 500, for ${seconds} s`;
}

/** Runs each fault at its time (epoch ms); resolves with what happened once all have run. */
export async function runFaults(
  plans: readonly FaultPlan[],
  log: (line: string) => void,
): Promise<FaultRecord[]> {
  const records: FaultRecord[] = [];
  for (const plan of [...plans].sort((a, b) => a.atMs - b.atMs)) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, plan.atMs - Date.now())));
    const at = new Date().toISOString();
    const detail = await plan
      .inject()
      .catch((error: unknown) => `failed: ${error instanceof Error ? error.message : String(error)}`);
    log(`fault ${plan.name}: ${detail}`);
    records.push({ fault: plan.name, at, detail });
  }
  return records;
}
