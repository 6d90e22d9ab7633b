import { EXIT_OK, EXIT_USAGE } from "../../segments/cli/segments.server";
import { parsePlanArgs, PLAN_USAGE } from "./args";
import { runPlan, type PlanIo } from "./plan.server";

// `npm run cli -- plan …`, called by the command line's entry point (app/cli/main.ts),
// which reads the clock.

export async function planCommand(argv: readonly string[], now: Date, io: PlanIo): Promise<number> {
  const parsed = parsePlanArgs(argv, now);
  switch (parsed.kind) {
    case "help":
      io.stdout.write(PLAN_USAGE);
      return EXIT_OK;
    case "usage-error":
      io.stderr(`${parsed.message}\nRun with --help for usage.`);
      return EXIT_USAGE;
    case "run":
      return runPlan(parsed.options, io);
    default: {
      const unreachable: never = parsed;
      throw new Error(`unhandled ${JSON.stringify(unreachable)}`);
    }
  }
}
