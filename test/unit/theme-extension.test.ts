import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SIGNUP_FIELDS } from "~/storefront/signup/signup-form";
import { EXTENSION_DIR, checkExtension, translation, translationKeys } from "../../scripts/check-extension";

// The theme app extension as Shopify would take it (budgets, file types, schemas, theme-check with
// the theme-app-extension config) and its texts: every key a block translates exists in English
// and French. Rendering is the storefront emulator's business.

const dir = (...parts: string[]) => path.join(EXTENSION_DIR, ...parts);
const read = (...parts: string[]) => readFileSync(dir(...parts), "utf8");
const json = (...parts: string[]): unknown => JSON.parse(read(...parts));
const hasTranslation = (locale: unknown, key: string) => translation(locale, key) !== undefined;
const blocks = readdirSync(dir("blocks")).filter((f) => f.endsWith(".liquid"));

/** Every dotted key path to a string in a locale object. */
function leafKeys(node: unknown, prefix = ""): string[] {
  if (typeof node !== "object" || node === null) return [prefix];
  return Object.entries(node).flatMap(([k, v]) => leafKeys(v, prefix ? `${prefix}.${k}` : k));
}

const temps: string[] = [];
afterAll(() => temps.forEach((t) => rmSync(t, { recursive: true, force: true })));

describe("the holiday storefront theme extension", () => {
  it("passes every budget and theme-check", async () => {
    const report = await checkExtension();
    expect(report.problems).toEqual([]);
    expect(blocks.sort()).toEqual([
      "deadline-banner.liquid",
      "signup-form.liquid",
      "vip-early-access.liquid",
    ]);
    const javascript = report.figures.filter((f) => f.what === "JavaScript, gzipped");
    expect(javascript.map((f) => f.file).sort()).toEqual(blocks.map((b) => `blocks/${b}`));
    expect(report.figures.find((f) => f.what === "blocks")?.value).toBe(3);
  }, 30_000);

  it("refuses a copy with a block over its JavaScript budget, a bad file type and a 26-character name", async () => {
    const copy = mkdtempSync(path.join(os.tmpdir(), "holiday-extension-"));
    temps.push(copy);
    cpSync(EXTENSION_DIR, copy, { recursive: true });
    // 16,000 random bytes as base64: about 16,000 bytes of entropy, which gzip cannot shrink.
    writeFileSync(
      path.join(copy, "assets/huge.js"),
      `window.hsHuge = "${randomBytes(16_000).toString("base64")}";\n`,
    );
    const signup = path.join(copy, "blocks/signup-form.liquid");
    writeFileSync(
      signup,
      `<script src="{{ 'huge.js' | asset_url }}" defer></script>\n${readFileSync(signup, "utf8")}`,
    );
    writeFileSync(path.join(copy, "assets/notes.txt"), "not an asset type Shopify takes\n");
    const vip = path.join(copy, "blocks/vip-early-access.liquid");
    const name26 = "Abcdefghijklmnopqrstuvwxyz";
    expect(name26).toHaveLength(26);
    writeFileSync(
      vip,
      readFileSync(vip, "utf8").replace('"name": "t:blocks.vip.name"', `"name": "${name26}"`),
    );

    const { problems } = await checkExtension(copy);
    const over = problems.find((p) => p.startsWith("blocks/signup-form.liquid: JavaScript, gzipped is "));
    expect(over).toMatch(/over the limit of 10000$/);
    expect(Number(/is (\d+) bytes/.exec(over ?? "")?.[1])).toBeGreaterThan(16_000);
    expect(problems).toContain(
      "blocks/vip-early-access.liquid: schema name is 26 chars, over the limit of 25",
    );
    expect(problems.some((p) => p.startsWith("assets/notes.txt: not allowed"))).toBe(true);
    // the original blocks stay within budget in the copy
    expect(problems.filter((p) => p.includes("deadline-banner"))).toEqual([]);
  }, 30_000);

  it("is a theme extension named and handled as the app expects", () => {
    const toml = read("shopify.extension.toml");
    expect(toml).toMatch(/^\[\[extensions\]\]$/m);
    expect(toml).toMatch(/^type = "theme"$/m);
    expect(toml).toMatch(/^name = "Holiday storefront"$/m);
    expect(toml).toMatch(/^handle = "holiday-storefront"$/m);
  });
});

describe("its texts", () => {
  const en = json("locales", "en.default.json");
  const fr = json("locales", "fr.json");

  it("has every translated key of every block in English and French", () => {
    const keys = blocks.flatMap((b) => translationKeys(read("blocks", b)));
    // banner 6, signup form 20 (9 texts, 3 labels, 8 messages for the script), VIP 4
    expect(keys).toHaveLength(30);
    for (const key of keys) {
      expect(hasTranslation(en, key), `${key} in en.default.json`).toBe(true);
      expect(hasTranslation(fr, key), `${key} in fr.json`).toBe(true);
    }
  });

  it("has the weekday and month names the banner looks up by number", () => {
    expect(read("blocks", "deadline-banner.liquid")).toContain("'holiday.date.weekday_'");
    const dateKeys = [
      ...Array.from({ length: 7 }, (_, i) => `holiday.date.weekday_${i}`),
      ...Array.from({ length: 12 }, (_, i) => `holiday.date.month_${i + 1}`),
    ];
    for (const key of dateKeys) {
      expect(hasTranslation(en, key), key).toBe(true);
      expect(hasTranslation(fr, key), key).toBe(true);
    }
    expect(leafKeys(en).filter((k) => k.startsWith("holiday.date.month_"))).toHaveLength(12);
  });

  it("has the same keys in both languages, storefront and theme editor", () => {
    expect(leafKeys(fr).sort()).toEqual(leafKeys(en).sort());
    expect(leafKeys(json("locales", "fr.schema.json")).sort()).toEqual(
      leafKeys(json("locales", "en.default.schema.json")).sort(),
    );
    const schemaEn = json("locales", "en.default.schema.json");
    for (const b of blocks) {
      for (const m of read("blocks", b).matchAll(/"t:([\w.]+)"/g)) {
        expect(hasTranslation(schemaEn, m[1] ?? ""), `${m[1]} in en.default.schema.json`).toBe(true);
      }
    }
  });

  it("gives the SMS checkbox the disclosure US law asks for", () => {
    const sms = (locale: unknown) => translation(locale, "holiday.signup.sms_disclosure");
    for (const needed of [
      "[shop]",
      "Up to [frequency] msgs/month",
      "Msg & data rates may apply",
      "Reply STOP to cancel, HELP for help",
      "Consent is not a condition of purchase",
      "[terms]",
      "[privacy]",
    ]) {
      expect(sms(en)).toContain(needed);
    }
    for (const needed of [
      "[shop]",
      "[frequency]",
      "STOP",
      "HELP",
      "pas une condition d’achat",
      "[terms]",
      "[privacy]",
    ]) {
      expect(sms(fr)).toContain(needed);
    }
  });
});

describe("the signup form", () => {
  const form = read("blocks", "signup-form.liquid");

  it("posts the contract's fields to the app proxy", () => {
    expect(form).toContain('action="{{ root }}apps/holiday/signup"');
    expect(form).toContain('method="post"');
    // every field the app reads, and no other
    for (const name of SIGNUP_FIELDS) expect(form, name).toContain(`name="${name}"`);
    const names = [...form.matchAll(/\bname="([a-z_]+)"/g)].map((m) => m[1]);
    expect([...new Set(names)].sort()).toEqual([...SIGNUP_FIELDS].sort());
  });

  it("leaves both consent boxes unchecked and the honeypot out of reach", () => {
    const checkboxes = [...form.matchAll(/<input[^>]*type="checkbox"[^>]*>/g)].map((m) => m[0]);
    expect(checkboxes).toHaveLength(2);
    for (const box of checkboxes) expect(box).not.toMatch(/\bchecked\b/);
    const honeypot = /<input[^>]*name="website"[^>]*>/.exec(form)?.[0] ?? "";
    expect(honeypot).toContain('tabindex="-1"');
    expect(honeypot).toContain('autocomplete="off"');
  });
});
