import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateAdminDocument } from "../emulator/index";

// Every Admin GraphQL document the app sends is tagged `#graphql`; each must validate against
// Shopify's published 2026-10 schema before it ever reaches a store.
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

function graphqlDocuments(): Array<{ file: string; source: string }> {
  return sourceFiles("app").flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/`#graphql([\s\S]*?)`/g)].map((match) => ({
      file,
      source: match[1] ?? "",
    })),
  );
}

describe("the app's Admin GraphQL documents", () => {
  const documents = graphqlDocuments();

  it("are found", () => {
    expect(documents.length).toBeGreaterThan(0);
  });

  it.each(documents.map((d) => [d.file, d.source.trim().split("\n")[0], d.source] as const))(
    "%s: %s validates against Admin API 2026-10",
    (_file, _name, source) => {
      expect(validateAdminDocument(source)).toEqual([]);
    },
  );

  it("would catch a document Shopify refuses", () => {
    const errors = validateAdminDocument("query { shop { name notAShopField } }");
    expect(errors[0]?.extensions).toMatchObject({ code: "undefinedField", typeName: "Shop", fieldName: "notAShopField" });
  });
});

describe("app/ code", () => {
  it("never imports test code", () => {
    const offenders = sourceFiles("app").filter((file) =>
      /from\s+["'](\.\.\/)+test\//.test(readFileSync(file, "utf8")),
    );
    expect(offenders).toEqual([]);
  });
});
