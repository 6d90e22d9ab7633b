import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS } from "~/segments/rules";
import {
  getSegmentThresholds,
  getTagSegments,
  saveSegmentSettingsAction,
  saveSegmentThresholds,
} from "~/segments/settings.server";
import { databaseModes, type TestDatabase } from "./helpers/db";

const SHOP = "settings-test.myshopify.com";
const OTHER = "other-settings.myshopify.com";

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
};
const valid = {
  lapsedAfterDays: "120",
  vipMinF: "5",
  vipMinM: "3",
  vipMinOrders: "3",
  priceSensitiveShare: "0.4",
  recentWithinDays: "14",
};

describe.each(databaseModes)("segment thresholds on $name", (mode) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await mode.open();
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(async () => {
    await db.prisma.shopSettings.deleteMany({});
  });

  it("are the defaults until saved", async () => {
    expect(await getSegmentThresholds(db.prisma, SHOP)).toEqual({
      lapsedAfterDays: 180,
      vipMinF: 4,
      vipMinM: 4,
      vipMinOrders: 2,
      priceSensitiveShare: 0.5,
      recentWithinDays: 30,
    });
    expect(await getTagSegments(db.prisma, SHOP)).toBe(false);
  });

  it("saves valid numbers and reads them back per shop", async () => {
    const thresholds = { ...DEFAULT_THRESHOLDS, lapsedAfterDays: 90, priceSensitiveShare: 0.25 };
    expect(await saveSegmentThresholds(db.prisma, SHOP, thresholds)).toEqual({ ok: true, thresholds });
    expect(await getSegmentThresholds(db.prisma, SHOP)).toEqual(thresholds);
    expect(await getSegmentThresholds(db.prisma, OTHER)).toEqual(DEFAULT_THRESHOLDS);
  });

  it("refuses bad values with a message per field and keeps the old ones", async () => {
    const good = { ...DEFAULT_THRESHOLDS, vipMinOrders: 3 };
    await saveSegmentThresholds(db.prisma, SHOP, good);
    const result = await saveSegmentThresholds(db.prisma, SHOP, {
      lapsedAfterDays: 0,
      vipMinF: 6,
      vipMinM: 2.5,
      vipMinOrders: "two",
      priceSensitiveShare: 1.5,
      recentWithinDays: 30,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(["lapsedAfterDays", "priceSensitiveShare", "vipMinF", "vipMinM", "vipMinOrders"]);
    expect(result.errors.vipMinF).toMatch(/from 1 to 5/);
    expect(result.errors.vipMinOrders).toMatch(/must be a number/);
    expect(await getSegmentThresholds(db.prisma, SHOP)).toEqual(good);

    // The cross-field rule names the field to fix.
    const crossed = await saveSegmentThresholds(db.prisma, SHOP, { ...good, recentWithinDays: 200 });
    expect(crossed).toEqual({ ok: false, errors: { recentWithinDays: expect.stringMatching(/must be less than/) } });
    expect(await getSegmentThresholds(db.prisma, SHOP)).toEqual(good);
  });

  it("reads a stored value that no longer validates as the defaults", async () => {
    await db.prisma.shopSettings.create({ data: { shop: SHOP, segmentThresholds: { lapsedAfterDays: "soon" } } });
    expect(await getSegmentThresholds(db.prisma, SHOP)).toEqual(DEFAULT_THRESHOLDS);
  });

  it("the Settings form action validates, stores, and says when to rescore and retag", async () => {
    const empty = await saveSegmentSettingsAction(db.prisma, SHOP, form({ ...valid, vipMinF: " ", recentWithinDays: "abc" }));
    expect(empty).toEqual({
      ok: false,
      errors: { vipMinF: "Required", recentWithinDays: "Enter a whole number (digits only, like 30)" },
      values: { ...valid, vipMinF: " ", recentWithinDays: "abc" },
    });
    expect(await db.prisma.shopSettings.count()).toBe(0);

    // Number() would read these as 1, 10, 4 and 0.5; a merchant who typed them meant something else.
    const typed = { lapsedAfterDays: "0x1", vipMinOrders: "1e1", vipMinM: "4.0", priceSensitiveShare: ".5" };
    const odd = await saveSegmentSettingsAction(db.prisma, SHOP, form({ ...valid, ...typed }));
    expect(odd).toEqual({
      ok: false,
      errors: {
        lapsedAfterDays: "Enter a whole number (digits only, like 30)",
        vipMinOrders: "Enter a whole number (digits only, like 30)",
        vipMinM: "Enter a whole number (digits only, like 30)",
        priceSensitiveShare: "Enter a number (digits, like 0.5)",
      },
      values: { ...valid, ...typed },
    });
    expect(await db.prisma.shopSettings.count()).toBe(0);

    const saved = await saveSegmentSettingsAction(db.prisma, SHOP, form({ ...valid, tagSegments: "on" }));
    const thresholds = { lapsedAfterDays: 120, vipMinF: 5, vipMinM: 3, vipMinOrders: 3, priceSensitiveShare: 0.4, recentWithinDays: 14 };
    expect(saved).toEqual({ ok: true, thresholds, tagSegments: true, rescore: true, retag: true });
    expect(await getSegmentThresholds(db.prisma, SHOP)).toEqual(thresholds);
    expect(await getTagSegments(db.prisma, SHOP)).toBe(true);

    // Same numbers again, checkbox cleared: no rescore, but the tags change.
    expect(await saveSegmentSettingsAction(db.prisma, SHOP, form(valid))).toMatchObject({ ok: true, rescore: false, retag: true, tagSegments: false });

    const bad = await saveSegmentSettingsAction(db.prisma, SHOP, form({ ...valid, lapsedAfterDays: "10", tagSegments: "on" }));
    expect(bad).toMatchObject({ ok: false, errors: { recentWithinDays: expect.stringMatching(/less than/) } });
    expect(await getSegmentThresholds(db.prisma, SHOP)).toEqual(thresholds);
    expect(await getTagSegments(db.prisma, SHOP)).toBe(false);
  });
});
