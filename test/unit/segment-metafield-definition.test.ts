import { readFileSync } from "node:fs";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { SEGMENT_METAFIELD } from "~/segments/tags/metafield-plan";

// The customer metafield the app writes is declared in shopify.app.toml (app-owned: namespace
// "$app", spelled `app` in the TOML), readable by the storefront so the theme's VIP block sees it.

const Declared = z.object({
  customer: z.object({
    metafields: z.object({
      app: z.record(
        z.object({
          type: z.string(),
          name: z.string().min(1),
          access: z.object({ admin: z.string().optional(), storefront: z.string().optional() }),
        }),
      ),
    }),
  }),
});

describe("the segment metafield's definition", () => {
  it("declares what the write-back sends, publicly readable on the storefront", () => {
    const config = Declared.parse(parse(readFileSync("shopify.app.toml", "utf8")));
    expect(SEGMENT_METAFIELD.namespace).toBe("$app");
    expect(config.customer.metafields.app[SEGMENT_METAFIELD.key]).toMatchObject({
      type: SEGMENT_METAFIELD.type,
      access: { storefront: "public_read" },
    });
  });
});
