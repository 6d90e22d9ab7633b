import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvCell } from "../../csv";
import { CsvRecords, splitRecord } from "./csv-records";

describe("splitRecord", () => {
  it("splits plain and quoted fields", () => {
    expect(splitRecord("a,b,,c")).toEqual(["a", "b", "", "c"]);
    expect(splitRecord('"a,b","say ""hi""",""')).toEqual(["a,b", 'say "hi"', ""]);
    expect(splitRecord('"two\nlines",x')).toEqual(["two\nlines", "x"]);
    expect(splitRecord("")).toEqual([""]);
    expect(splitRecord("a,")).toEqual(["a", ""]);
  });

  it("refuses quotes out of place", () => {
    expect(splitRecord('"a"b,c')).toBe("field 1: text after its closing quote");
    expect(splitRecord('a,5" screen')).toBe("field 2: a quote inside a field that is not quoted");
    expect(splitRecord('"open')).toBe("a quoted field is not closed");
  });

  it("reads back what app/csv.ts writes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom("a", ",", '"', "\n", "=", " ", "é") }), {
          minLength: 1,
          maxLength: 6,
        }),
        (cells) => {
          // csvCell neutralises a leading = with an apostrophe; the rest must come back as written
          const written = cells.map((cell) => csvCell(cell)).join(",");
          const read = splitRecord(written);
          expect(read).toEqual(cells.map((cell) => (cell.startsWith("=") ? `'${cell}` : cell)));
        },
      ),
    );
  });
});

describe("CsvRecords", () => {
  it("joins the lines of a quoted field and numbers a record by its first line", () => {
    const records = new CsvRecords();
    expect(records.push("id,note", 1)).toEqual({ line: 1, fields: ["id", "note"] });
    expect(records.push('1,"first', 2)).toBeNull();
    expect(records.inQuotedField()).toBe(true);
    expect(records.push("", 3)).toBeNull();
    expect(records.push('last"', 4)).toEqual({ line: 2, fields: ["1", "first\n\nlast"] });
    expect(records.push('2,"x""', 5)).toBeNull();
    expect(records.end()).toEqual({ line: 5, error: "a quoted field is not closed by the end of the file" });
  });

  it("ends cleanly after a complete record", () => {
    const records = new CsvRecords();
    expect(records.push("a", 1)).toEqual({ line: 1, fields: ["a"] });
    expect(records.end()).toBeNull();
  });
});
