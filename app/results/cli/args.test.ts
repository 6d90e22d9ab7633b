import { describe, expect, it } from "vitest";
import { parseLiftArgs } from "./args";

describe("parseLiftArgs", () => {
  it("reads the file, the column and the seed", () => {
    expect(parseLiftArgs(["--in", "audience.csv", "--group-by", "segment", "--seed", "4294967295"])).toEqual({
      kind: "run",
      options: { in: "audience.csv", groupBy: "segment", seed: 4294967295 },
    });
  });

  it("has one group and seed 1 by default", () => {
    expect(parseLiftArgs(["--in", "audience.csv"])).toEqual({
      kind: "run",
      options: { in: "audience.csv", groupBy: null, seed: 1 },
    });
  });

  it("asks for help", () => {
    expect(parseLiftArgs(["--help"])).toEqual({ kind: "help" });
    expect(parseLiftArgs(["-h", "--in", "x.csv"])).toEqual({ kind: "help" });
  });

  it("says what is missing or wrong", () => {
    expect(parseLiftArgs([])).toEqual({ kind: "usage-error", message: "--in FILE is required" });
    for (const seed of ["-1", "1.5", "4294967296", "abc", "1e3"]) {
      expect(parseLiftArgs(["--in", "a.csv", `--seed=${seed}`])).toEqual({
        kind: "usage-error",
        message: "--seed must be an integer from 0 to 4294967295",
      });
    }
    expect(parseLiftArgs(["--in", "a.csv", "--group-by", ""])).toEqual({
      kind: "usage-error",
      message: "--group-by needs a column name",
    });
    expect(parseLiftArgs(["--in", "a.csv", "--out", "x"]).kind).toBe("usage-error");
    expect(parseLiftArgs(["--in", "a.csv", "extra"]).kind).toBe("usage-error");
  });
});
