import { describe, expect, it } from "vitest";
import { parseRehearsalArgs } from "./options";

describe("parseRehearsalArgs", () => {
  it("reads the documented command with its defaults", () => {
    const r = parseRehearsalArgs(["--scale", "500", "--minutes", "3"]);
    expect(r).toEqual({
      ok: true,
      options: {
        scale: 500,
        minutes: 3,
        abandoned: 0.2,
        customers: 10_000,
        seed: 13,
        mode: "scale",
        workers: 2,
        outageSeconds: 60,
        settleSeconds: 60,
        noFaults: false,
        out: "rehearsal-report",
        dataDir: "data",
        connections: 256,
      },
    });
  });

  it("takes --name=value, kebab-case names and the --no-faults flag", () => {
    const r = parseRehearsalArgs([
      "--scale=10",
      "--minutes=0.5",
      "--mode",
      "embedded",
      "--outage-seconds",
      "5",
      "--settle-seconds",
      "10",
      "--no-faults",
    ]);
    expect(r.ok && r.options).toMatchObject({
      scale: 10,
      minutes: 0.5,
      mode: "embedded",
      outageSeconds: 5,
      settleSeconds: 10,
      noFaults: true,
    });
  });

  it("names every problem", () => {
    expect(parseRehearsalArgs(["--minutes", "3"])).toEqual({ ok: false, error: "--scale: Required" });
    expect(parseRehearsalArgs(["--scale", "x", "--minutes", "3"])).toEqual({
      ok: false,
      error: "--scale: Expected number, received nan",
    });
    expect(parseRehearsalArgs(["--scale", "5", "--minutes", "3", "--abandoned", "2"])).toEqual({
      ok: false,
      error: "--abandoned: Number must be less than or equal to 1",
    });
    expect(parseRehearsalArgs(["--scale", "5", "--minutes", "3", "--speed", "2"])).toEqual({
      ok: false,
      error: "unknown option --speed",
    });
    expect(parseRehearsalArgs(["--scale"])).toEqual({ ok: false, error: "--scale needs a value" });
    expect(parseRehearsalArgs(["500"])).toEqual({ ok: false, error: 'unexpected argument "500"' });
  });
});
