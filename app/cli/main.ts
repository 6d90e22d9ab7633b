import { planCommand } from "../campaigns/cli/command";
import { flowsCommand } from "../flows/cli/command";
import { liftCommand } from "../results/cli/command";
import { pullCommand } from "../sync/pull/command.server";
import { parseSegmentsArgs, SEGMENTS_USAGE } from "../segments/cli/args";
import { FileAccessError } from "../segments/cli/input-file.server";
import { EXIT_OK, EXIT_USAGE, runSegments } from "../segments/cli/segments.server";

// `npm run cli -- <command> …`: the analysts' command line. The clock, the timer and the
// environment are read here, nowhere below.

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  segments    RFM scores and segments from bulk JSONL files (npm run cli -- segments --help)
  plan        a playbook's campaign plan per customer and channel (npm run cli -- plan --help)
  pull        a shop's customers and orders from its Admin API into the files of segments and plan
              (npm run cli -- pull --help)
  flows       the built-in flows replayed over a shop's history on a virtual clock: every message
              they would send or skip (npm run cli -- flows --help)
  lift        a campaign's holdout lift per group: conversion and revenue per recipient, treated
              against control, with 95% intervals (npm run cli -- lift --help)
`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(USAGE);
    return command === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (command === "plan") {
    return planCommand(rest, new Date(), { stderr: (line) => process.stderr.write(`${line}\n`), stdout: process.stdout });
  }
  if (command === "flows") {
    return flowsCommand(rest, { stderr: (line) => process.stderr.write(`${line}\n`), stdout: process.stdout });
  }
  if (command === "lift") {
    return liftCommand(rest, {
      stderr: (line) => process.stderr.write(`${line}\n`),
      stdout: process.stdout,
    });
  }
  if (command === "pull") {
    return pullCommand(rest, process.env, {
      stderr: (line) => process.stderr.write(`${line}\n`),
      stdout: process.stdout,
      now: () => Date.now(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    });
  }
  if (command !== "segments") {
    process.stderr.write(`unknown command "${command}"\n${USAGE}`);
    return EXIT_USAGE;
  }
  const parsed = parseSegmentsArgs(rest, new Date());
  switch (parsed.kind) {
    case "help":
      process.stdout.write(SEGMENTS_USAGE);
      return EXIT_OK;
    case "usage-error":
      process.stderr.write(`${parsed.message}\nRun with --help for usage.\n`);
      return EXIT_USAGE;
    case "run":
      return runSegments(parsed.options, { stderr: (line) => process.stderr.write(`${line}\n`), stdout: process.stdout });
    default: {
      const unreachable: never = parsed;
      throw new Error(`unhandled ${JSON.stringify(unreachable)}`);
    }
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // A file that fails halfway through (checked ones fail before any work): one line, no stack.
  if (!(error instanceof FileAccessError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = EXIT_USAGE;
}
