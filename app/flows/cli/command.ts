import { EXIT_OK, EXIT_USAGE } from "../../segments/cli/segments.server";
import { FLOWS_USAGE, parseFlowsArgs } from "./args";
import { runFlows, type FlowsIo } from "./flows.server";

// `npm run cli -- flows …`, called by the command line's entry point (app/cli/main.ts).

export async function flowsCommand(argv: readonly string[], io: FlowsIo): Promise<number> {
  const parsed = parseFlowsArgs(argv);
  switch (parsed.kind) {
    case "help":
      io.stdout.write(FLOWS_USAGE);
      return EXIT_OK;
    case "usage-error":
      io.stderr(`${parsed.message}\nRun with --help for usage.`);
      return EXIT_USAGE;
    case "run":
      return runFlows(parsed.options, io);
    default: {
      const unreachable: never = parsed;
      throw new Error(`unhandled ${JSON.stringify(unreachable)}`);
    }
  }
}
