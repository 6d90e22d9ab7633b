import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";

// PGlite is a single-connection, in-process Postgres: two instances on one directory would
// corrupt it. So each directory gets one shared instance per process, reference-counted, and a
// new instance waits until the previous one on that directory has closed.
interface Entry {
  ready: Promise<PGlite>;
  refs: number;
}

interface Registry {
  open: Map<string, Entry>;
  closing: Map<string, Promise<void>>;
}

declare global {
  // Survives Vite dev HMR, which re-evaluates modules but keeps globalThis.
  var __holidaySegmentsPglite: Registry | undefined;
}

const registry: Registry = (globalThis.__holidaySegmentsPglite ??= { open: new Map(), closing: new Map() });

export interface PgliteHandle {
  pglite: PGlite;
  /** The files of this database. */
  dir: string;
  /** Closes the instance when its last user releases it. Idempotent. */
  release(): Promise<void>;
}

/** The database lives in `<dataDir>/pglite`, created if missing. */
export function pgliteDir(dataDir: string): string {
  return path.resolve(dataDir, "pglite");
}

export async function acquirePglite(dataDir: string): Promise<PgliteHandle> {
  const dir = pgliteDir(dataDir);
  let entry = registry.open.get(dir);
  if (!entry) {
    const previous = registry.closing.get(dir);
    entry = {
      refs: 0,
      ready: (async () => {
        await previous;
        await mkdir(dir, { recursive: true });
        return PGlite.create(dir);
      })(),
    };
    registry.open.set(dir, entry);
  }
  const current = entry;
  current.refs += 1;
  let pglite: PGlite;
  try {
    pglite = await current.ready;
  } catch (error) {
    current.refs -= 1;
    if (registry.open.get(dir) === current) registry.open.delete(dir);
    throw error;
  }
  let released = false;
  return {
    pglite,
    dir,
    async release() {
      if (released) return;
      released = true;
      current.refs -= 1;
      if (current.refs > 0) return;
      if (registry.open.get(dir) === current) registry.open.delete(dir);
      const closed = pglite.close().finally(() => {
        if (registry.closing.get(dir) === closed) registry.closing.delete(dir);
      });
      registry.closing.set(dir, closed);
      await closed;
    },
  };
}
