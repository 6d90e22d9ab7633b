// CPU time of processes on this machine, from /proc (Linux). Wall times on a shared machine include
// waiting for a CPU; these do not.

import { readFileSync } from "node:fs";
import type { PrismaClient } from "@prisma/client";

/** user + system CPU milliseconds of a process; NaN where it cannot be read. */
export function cpuMsOf(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, 100 ticks a second
  } catch {
    return NaN;
  }
}

/** user + system CPU seconds of a process; NaN where it cannot be read. */
export const cpuSecondsOf = (pid: number | undefined): number => cpuMsOf(pid) / 1000;

/**
 * CPU milliseconds since the last call of the PostgreSQL backends serving this run (by
 * application_name; the server runs on this machine), null where they cannot be read.
 */
export function serverCpu(prisma: PrismaClient, app: string): () => Promise<number | null> {
  const last = new Map<number, number>();
  return async () => {
    const rows = await prisma.$queryRawUnsafe<Array<{ pid: number }>>(
      `SELECT pid FROM pg_stat_activity WHERE application_name = $1`,
      app,
    );
    let delta = 0;
    for (const { pid } of rows) {
      const ms = cpuMsOf(pid);
      if (Number.isNaN(ms)) return null;
      delta += ms - (last.get(pid) ?? 0);
      last.set(pid, ms);
    }
    return delta;
  };
}

/** Busy CPU seconds of the whole machine so far (all cores: user, nice, system, irq, softirq, steal). */
export function machineBusySeconds(): number {
  const fields = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "").trim().split(/\s+/).slice(1);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / 100;
}
