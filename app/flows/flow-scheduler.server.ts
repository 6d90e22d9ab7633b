import { runDueSteps, type FlowRunDeps } from "./run-due-steps.server";

// The flows' timer loop of one worker process: every `intervalMs`, and at once again while a batch
// came back full, due steps are claimed and decided. Any number of processes may run it: claims are
// leased and skip each other's rows.

export interface FlowScheduler {
  stop(): Promise<void>;
}

export function startFlowScheduler(
  deps: FlowRunDeps,
  { intervalMs = 1_000, batch = 200 }: { intervalMs?: number; batch?: number } = {},
): FlowScheduler {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const loop = async () => {
    for (let rounds = 0; !stopped && rounds < 50; rounds++) {
      const report = await runDueSteps(deps, { limit: batch });
      if (report.claimed < batch) break;
    }
  };
  const tick = () => {
    running = loop()
      .catch((error: unknown) => deps.log(`flow steps not run: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
