import { readFileSync } from "node:fs";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  SEGMENT_CHANGED_HANDLE,
  SEGMENT_CHANGED_MUTATION,
  segmentChangedTrigger,
} from "~/segments/flow-trigger";
import { SEGMENTS } from "~/segments/rules";
import { validateAdminDocument } from "../emulator/index";

// The Shopify Flow trigger extension as the Shopify CLI checks it before a deploy (its flow_trigger
// specification, shopify/cli packages/app: handle ≤ 30 characters of letters, digits and hyphens;
// custom field keys of letters and spaces; the field types a trigger may carry), and the payload the
// app sends matching its fields.

const TOML = "extensions/rfm-segment-changed/shopify.extension.toml";

// Reference fields arrive in the payload as `<object>_id`; custom fields by their key.
const REFERENCE_TYPES = [
  "customer_reference",
  "order_reference",
  "product_reference",
  "company_reference",
  "company_contact_reference",
];
const CUSTOM_TYPES = ["boolean", "email", "single_line_text_field", "url", "number_decimal"];

const Field = z.object({
  type: z.string(),
  key: z.string().optional(),
  description: z.string().optional(),
});
const Extension = z
  .object({
    extensions: z
      .array(
        z.object({
          name: z.string().min(1),
          type: z.literal("flow_trigger"),
          handle: z.string(),
          description: z.string().optional(),
        }),
      )
      .length(1),
    settings: z.object({ fields: z.array(Field) }),
  })
  .strict();

const config = Extension.parse(parse(readFileSync(TOML, "utf8")));
const extension = config.extensions[0];

describe("the Shopify Flow trigger extension", () => {
  it("is a flow_trigger whose handle Shopify accepts", () => {
    expect(extension?.handle).toBe(SEGMENT_CHANGED_HANDLE);
    expect(SEGMENT_CHANGED_HANDLE.length).toBeLessThanOrEqual(30);
    expect(SEGMENT_CHANGED_HANDLE).toMatch(/^[a-z0-9-]+$/i);
    // the name Shopify's guidelines ask for: an object and a past-tense verb, no punctuation
    expect(extension?.name).toMatch(/^[A-Z][a-z ]+$/);
  });

  it("has only field types a Flow trigger may carry, custom keys of letters and spaces", () => {
    for (const field of config.settings.fields) {
      if (REFERENCE_TYPES.includes(field.type)) {
        expect(field.key, field.type).toBeUndefined();
        continue;
      }
      expect(CUSTOM_TYPES, field.type).toContain(field.type);
      expect(field.key, field.type).toMatch(/^[a-zA-Z\s]+$/);
    }
    // one of each reference type at most
    const references = config.settings.fields
      .filter((f) => REFERENCE_TYPES.includes(f.type))
      .map((f) => f.type);
    expect(new Set(references).size).toBe(references.length);
  });

  it("the app's payload carries exactly the extension's fields, each of its type", () => {
    const { handle, payload } = segmentChangedTrigger({
      customerId: 7_300_000_000_042n,
      fromSegment: "recent",
      toSegment: "vip",
    });
    expect(handle).toBe(extension?.handle);
    const expected = config.settings.fields.map((f) =>
      REFERENCE_TYPES.includes(f.type) ? f.type.replace(/_reference$/, "_id") : f.key,
    );
    expect(Object.keys(payload)).toEqual(expected);
    expect(payload).toEqual({ customer_id: 7300000000042, "From segment": "recent", "To segment": "vip" });
    expect(new TextEncoder().encode(JSON.stringify(payload)).length).toBeLessThan(50_000);
  });

  it("names every segment the way the fields' descriptions list them", () => {
    for (const field of config.settings.fields.filter((f) => f.key))
      for (const segment of SEGMENTS) expect(field.description, field.key).toContain(segment);
  });

  it("a first scoring has no segment to come from: an empty text; an id Flow cannot read is refused", () => {
    expect(
      segmentChangedTrigger({ customerId: 1n, fromSegment: null, toSegment: "prospect" }).payload[
        "From segment"
      ],
    ).toBe("");
    expect(() =>
      segmentChangedTrigger({ customerId: 2n ** 60n, fromSegment: "vip", toSegment: "lapsed" }),
    ).toThrow(RangeError);
  });

  it("the mutation validates against the Admin API schema", () => {
    expect(validateAdminDocument(SEGMENT_CHANGED_MUTATION)).toEqual([]);
  });
});
