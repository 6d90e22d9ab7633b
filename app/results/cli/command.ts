import { EXIT_OK, EXIT_USAGE } from "../../segments/cli/segments.server";
import { LIFT_USAGE, parseLiftArgs } from "./args";
import { runLift, type LiftIo } from "./lift.server";

// `npm run cli -- lift …`, called by the command line's entry point (app/cli/main.ts).

export async function liftCommand(argv: readonly string[], io: LiftIo): Promise<number> {
  const parsed = parseLiftArgs(argv);
  switch (parsed.kind) {
    case "help":
      io.stdout.write(LIFT_USAGE);
      return EXIT_OK;
    case "usage-error":
      io.stderr(`${parsed.message}\nRun with --help for usage.`);
      return EXIT_USAGE;
    case "run":
      return runLift(parsed.options, io);
    default: {
      const unreachable: never = parsed;
      throw new Error(`unhandled ${JSON.stringify(unreachable)}`);
    }
  }
}
