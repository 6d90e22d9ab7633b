// A worker thread starts without the TypeScript loader its command runs under (tsx, or vitest's):
// load it here, then the worker itself.
import { tsImport } from "tsx/esm/api";

await tsImport("./customers-worker.server.ts", import.meta.url);
