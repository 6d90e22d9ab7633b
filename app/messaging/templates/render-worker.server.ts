import { MessagePort, parentPort, workerData } from "node:worker_threads";
import { checkRenders, renderMessage } from "./render";
import { RenderJob, type WorkerReply } from "./render-jobs";

// One thread of the render pool (render-pool.server.ts): renders merchant templates off the web
// process's event loop. Before each part it says which, so a job stopped for taking too long can
// be blamed on its part. Loaded by tsx (execArgv), from the sources, in tests and in production.

const port = parentPort;
if (!port) throw new Error("render-worker runs as a worker thread");
// replies go back on the pool's own port (see render-pool.server.ts), jobs come on parentPort
const replies: unknown = typeof workerData === "object" && workerData ? Reflect.get(workerData, "replies") : null;
if (!(replies instanceof MessagePort)) throw new Error("render-worker needs the pool's reply port");

const reply = (message: WorkerReply) => replies.postMessage(message);

port.on("message", (message: unknown) => {
  const parsed = RenderJob.safeParse(message);
  if (!parsed.success) {
    reply({ type: "failed", id: -1, message: "not a render job" });
    return;
  }
  const { id, task } = parsed.data;
  const onPart = (part: string) => reply({ type: "part", id, part });
  try {
    switch (task.kind) {
      case "render":
        reply({ type: "rendered", id, result: renderMessage(task.template, task.variables, onPart) });
        break;
      case "check":
        reply({ type: "checked", id, errors: checkRenders(task.template, task.cases, onPart) });
        break;
      default: {
        const _exhaustive: never = task;
        reply({ type: "failed", id, message: "unknown task" });
      }
    }
  } catch (error) {
    reply({ type: "failed", id, message: error instanceof Error ? error.message : String(error) });
  }
});

reply({ type: "ready" });
