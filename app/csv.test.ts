import { describe, expect, it } from "vitest";
import { csvCell } from "./csv";

// Hand-made cells, each with what a spreadsheet user must see.
describe("csvCell", () => {
  it("turns a cell a spreadsheet would run as a formula into text", () => {
    expect(csvCell("=1+2")).toBe("'=1+2");
    expect(csvCell("+1 (555) 010-0000")).toBe("'+1 (555) 010-0000");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1:A9)")).toBe("'@SUM(A1:A9)");
    expect(csvCell("\t=1+2")).toBe("'\t=1+2");
    expect(csvCell("\r=1+2")).toBe('"\'\r=1+2"');
    expect(csvCell('=HYPERLINK("http://evil.example","click")')).toBe(
      '"\'=HYPERLINK(""http://evil.example"",""click"")"',
    );
    expect(csvCell("=cmd|' /C calc'!A0@example.com")).toBe("'=cmd|' /C calc'!A0@example.com");
  });

  it("keeps numbers, negative ones too, and ordinary text as they are", () => {
    expect(csvCell("-12.50")).toBe("-12.50");
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell(-9007199254740993n)).toBe("-9007199254740993");
    expect(csvCell("0.6667")).toBe("0.6667");
    expect(csvCell("anna@example.com")).toBe("anna@example.com");
    expect(csvCell("a=b")).toBe("a=b");
    expect(csvCell("America/New_York")).toBe("America/New_York");
    expect(csvCell(null)).toBe("");
    expect(csvCell("")).toBe("");
  });

  it("quotes commas, quotes and line breaks (RFC 4180)", () => {
    expect(csvCell('"bob,smith"@example.com')).toBe('"""bob,smith""@example.com"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
  });
});
