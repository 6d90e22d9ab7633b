import { once } from "node:events";
import type { Writable } from "node:stream";
import { linesOf, unreadable } from "../../segments/cli/input-file.server";
import { EXIT_OK, EXIT_USAGE } from "../../segments/cli/segments.server";
import { computeLift } from "../lift";
import type { LiftCliOptions } from "./args";
import { AudienceReader } from "./audience-reader";
import { formatLiftLine } from "./output";

// `lift`: reads the audience file line by line (the first bad line stops it, exit 2, nothing on
// standard output), then writes one JSON line per group.

export interface LiftIo {
  stderr(line: string): void;
  stdout: Writable;
}

export async function runLift(options: LiftCliOptions, io: LiftIo): Promise<number> {
  const problem = await unreadable(options.in);
  if (problem) {
    io.stderr(problem);
    return EXIT_USAGE;
  }
  const reader = new AudienceReader(options.groupBy);
  let line = 0;
  for await (const text of linesOf(options.in)) {
    const error = reader.push(text, ++line);
    if (error) {
      io.stderr(`${options.in}:${error.line}: ${error.message}`);
      return EXIT_USAGE;
    }
  }
  const audience = reader.end();
  if ("message" in audience) {
    io.stderr(`${options.in}:${audience.line}: ${audience.message}`);
    return EXIT_USAGE;
  }
  for (const { group, treated, control } of audience.groups) {
    const text = `${formatLiftLine(group, computeLift({ treated, control }, { seed: options.seed }), audience.decimals)}\n`;
    if (!io.stdout.write(text)) await once(io.stdout, "drain");
  }
  const groups = audience.groups.length;
  io.stderr(
    `${audience.recipients} recipients in ${groups} group${groups === 1 ? "" : "s"}` +
      `${options.groupBy === null ? "" : ` of ${options.groupBy}`}; bootstrap seed ${options.seed}`,
  );
  return EXIT_OK;
}
