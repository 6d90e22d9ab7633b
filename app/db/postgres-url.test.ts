import { describe, expect, it } from "vitest";
import { parsePostgresUrl } from "./postgres-url";

const optionsOf = (url: string) =>
  new URL(parsePostgresUrl(url).connectionString).searchParams.get("options");

describe("parsePostgresUrl", () => {
  it("selects the schema and a UTC session through options, keeping the URL's own options", () => {
    expect(parsePostgresUrl("postgresql://u@h:5432/db?schema=app").schema).toBe("app");
    expect(optionsOf("postgresql://u@h:5432/db?schema=app")).toBe("-c search_path=app -c TimeZone=UTC");
    expect(optionsOf("postgres://u@h/db?options=-c%20work_mem%3D64MB")).toBe(
      "-c work_mem=64MB -c search_path=public -c TimeZone=UTC",
    );
  });

  it("refuses other protocols and schema names that are not plain identifiers", () => {
    expect(() => parsePostgresUrl("mysql://u@h/db")).toThrow(/postgres:\/\//);
    expect(() => parsePostgresUrl("postgres://u@h/db?schema=a;drop")).toThrow(/plain identifier/);
  });
});
