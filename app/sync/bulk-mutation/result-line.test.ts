import { describe, expect, it } from "vitest";
import { parseResultLine } from "./result-line";

describe("parseResultLine", () => {
  it("reads data, errors and the 0-based line number", () => {
    expect(parseResultLine('{"data":{"tagsAdd":null},"__lineNumber":3}', 1)).toEqual({
      kind: "row",
      row: { lineNumber: 3, data: { tagsAdd: null }, errors: null },
    });
    expect(parseResultLine('{"errors":[{"message":"x"}],"__lineNumber":0}', 2)).toEqual({
      kind: "row",
      row: { lineNumber: 0, data: null, errors: [{ message: "x" }] },
    });
  });
  it("refuses other lines without quoting them", () => {
    expect(parseResultLine("{oops", 5)).toEqual({ kind: "error", line: 5, reason: "not JSON" });
    expect(parseResultLine('{"data":{"email":"a@b.c"}}', 6)).toEqual({
      kind: "error",
      line: 6,
      reason: "not a bulk mutation result (no __lineNumber)",
    });
  });
});
