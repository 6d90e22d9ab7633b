import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDemo, type Demo, type DemoOptions } from "../../../scripts/demo/start-demo";
import { databaseModes, type DatabaseTarget } from "./db";

// The built app as `npm run demo` starts it, on PostgreSQL when DATABASE_URL is set (so a test can
// read the app's own rows) and else on PGlite in a data directory of its own.

export interface RunningDemo {
  demo: Demo;
  database: DatabaseTarget;
  stop(): Promise<void>;
}

export async function startRunningDemo(
  options: Omit<DemoOptions, "dataDir" | "databaseUrl">,
  tmpPrefix: string,
): Promise<RunningDemo> {
  const mode = databaseModes.find((m) => m.name === "postgres") ?? databaseModes[0];
  if (!mode) throw new Error("no database mode");
  const database = await mode.target();
  const dataDir = database.dataDir ?? mkdtempSync(join(tmpdir(), tmpPrefix));
  const demo = await startDemo({ ...options, dataDir, databaseUrl: database.databaseUrl });
  return {
    demo,
    database,
    async stop() {
      await demo.stop();
      await database.cleanup();
      if (!database.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
