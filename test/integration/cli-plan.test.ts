import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { holdoutCutoff, isHoldout } from "../../app/campaigns/audience";

/** Per draft key, the cutoff that holds out exactly 10% of the customers the draft's rows name. */
function cutoffsOf(rows: ReadonlyArray<{ campaign: string; id: string }>): Map<string, number> {
  const ids = new Map<string, Set<string>>();
  for (const { campaign, id } of rows) {
    const draft = campaign.split("/")[0] ?? "";
    ids.set(draft, (ids.get(draft) ?? new Set()).add(id));
  }
  return new Map([...ids].map(([draft, set]) => [draft, holdoutCutoff(draft, set, 0.1)]));
}
import { writeStoreJsonl } from "../bench/bulk-jsonl";
import { generateStore, TEST_HISTORY_END } from "../emulator/index";

// Runs the real command (tsx, as `npm run cli` does): on a hand-made store whose plan is worked out
// below, on the segments CLI's bad-input fixtures, and on a generated store whose plan is checked
// row by row against the customers file (consent, SMS hours, zones, caps, holdout).

const TSX = join(process.cwd(), "node_modules/.bin/tsx");
const HEADER =
  "campaign,customer_id,segment,channel,holdout,send_at_utc,local_send_time,time_zone,skip_reason";
const dir = mkdtempSync(join(tmpdir(), "cli-plan-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(TSX, ["app/cli/main.ts", ...args], { maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      const code = error && typeof error.code === "number" ? error.code : error ? -1 : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// ── the hand-made store ───────────────────────────────────────────────────────────────────────────

const consent = (marketingState: string) => ({
  marketingState,
  marketingOptInLevel: "SINGLE_OPT_IN",
  consentUpdatedAt: null,
});
const customer = (id: number, fields: Record<string, unknown>) =>
  JSON.stringify({
    id: `gid://shopify/Customer/${id}`,
    email: `c${id}@example.com`,
    phone: null,
    createdAt: "2024-01-01T00:00:00Z",
    updatedAt: "2024-01-01T00:00:00Z",
    tags: [],
    emailMarketingConsent: consent("SUBSCRIBED"),
    smsMarketingConsent: null,
    defaultAddress: null,
    ...fields,
  });
let orderId = 1000;
const order = (customerId: number, createdAt: string, amount: string, discount = "0.00") =>
  JSON.stringify({
    id: `gid://shopify/Order/${++orderId}`,
    createdAt,
    updatedAt: createdAt,
    cancelledAt: null,
    test: false,
    customer: { id: `gid://shopify/Customer/${customerId}` },
    currentTotalPriceSet: { shopMoney: { amount, currencyCode: "USD" } },
    totalDiscountsSet: { shopMoney: { amount: discount, currencyCode: "USD" } },
    discountCodes: discount === "0.00" ? [] : ["SAVE"],
  });

// As of 2026-11-01 (n = 5 scored): 1 is vip (F 5, M 5, 3 orders, 31 days), 2 and 6 price_sensitive
// (every order discounted), 3 lapsed (669 days), 4 recent (12 days), 5 a prospect (no campaign).
// 2 lives in Florida (texts until 20:00) with the REST-style defaultAddress.countryCode; 3's zone
// is not a zone and 4 has no address: both get the shop's; 6 has SMS consent but no phone.
const SMALL_CUSTOMERS = [
  customer(1, {
    phone: "+12125550101",
    smsMarketingConsent: consent("SUBSCRIBED"),
    defaultAddress: { countryCodeV2: "US", provinceCode: "NY", timeZone: "America/New_York" },
  }),
  customer(2, {
    phone: "+13055550102",
    smsMarketingConsent: consent("SUBSCRIBED"),
    defaultAddress: { countryCode: "US", provinceCode: "FL", timeZone: "America/New_York" },
  }),
  customer(3, { defaultAddress: { countryCodeV2: "GB", provinceCode: null, timeZone: "Mars/Olympus" } }),
  customer(4, { emailMarketingConsent: consent("NOT_SUBSCRIBED") }),
  customer(5, {}),
  customer(6, {
    smsMarketingConsent: consent("SUBSCRIBED"),
    defaultAddress: { countryCodeV2: "JP", provinceCode: "JP-13", timeZone: "Asia/Tokyo" },
  }),
];
const SMALL_ORDERS = [
  order(1, "2026-09-01T12:00:00Z", "200.00"),
  order(1, "2026-09-15T12:00:00Z", "200.00"),
  order(1, "2026-10-01T00:00:00Z", "200.00"),
  order(2, "2026-08-15T12:00:00Z", "5.00", "1.00"),
  order(2, "2026-09-01T00:00:00Z", "5.00", "1.00"),
  order(3, "2025-01-01T00:00:00Z", "50.00"),
  order(4, "2026-10-20T00:00:00Z", "30.00"),
  order(6, "2026-08-01T00:00:00Z", "20.00", "2.00"),
];

const CW = "cyber-week-2026";
const C = (id: number) => `gid://shopify/Customer/${id}`;

// Before the season: every send at its local time (10:00; last hours 18:00) in the customer's zone.
const EXPECTED_BEFORE = [
  HEADER,
  `${CW}:lapsed/launch,${C(3)},lapsed,email,false,2026-11-27T16:00:00.000Z,2026-11-27T10:00:00-06:00,America/Chicago,`,
  `${CW}:price_sensitive/last_hours,${C(2)},price_sensitive,sms,false,2026-11-30T23:00:00.000Z,2026-11-30T18:00:00-05:00,America/New_York,`,
  `${CW}:price_sensitive/last_hours,${C(6)},price_sensitive,sms,false,,,Asia/Tokyo,no_address`,
  `${CW}:price_sensitive/last_hours,${C(6)},price_sensitive,email,false,2026-11-30T09:00:00.000Z,2026-11-30T18:00:00+09:00,Asia/Tokyo,`,
  `${CW}:price_sensitive/launch,${C(2)},price_sensitive,sms,false,2026-11-27T15:00:00.000Z,2026-11-27T10:00:00-05:00,America/New_York,`,
  `${CW}:price_sensitive/launch,${C(6)},price_sensitive,sms,false,,,Asia/Tokyo,no_address`,
  `${CW}:price_sensitive/launch,${C(6)},price_sensitive,email,false,2026-11-27T01:00:00.000Z,2026-11-27T10:00:00+09:00,Asia/Tokyo,`,
  `${CW}:recent/launch,${C(4)},recent,email,false,,,America/Chicago,no_consent`,
  `${CW}:vip/early_access,${C(1)},vip,email,false,2026-11-25T15:00:00.000Z,2026-11-25T10:00:00-05:00,America/New_York,`,
  "",
].join("\n");

// 2026-11-30T01:30Z = 20:30 on the 29th in New York. Passed sends go now — except 2's text: Florida
// stops at 20:00, so 08:00 next morning; its last-hours text (18:00) then falls within the 24 h SMS
// cap and past the end: skipped. 6's last-hours email (18:00 Tokyo) is 7.5 h after the launch
// (16 h cap) and Tokyo's campaign ends at its midnight: skipped. 4 is now 41 days back: regular.
const EXPECTED_DURING = [
  HEADER,
  `${CW}:lapsed/launch,${C(3)},lapsed,email,false,2026-11-30T01:30:00.000Z,2026-11-29T19:30:00-06:00,America/Chicago,`,
  `${CW}:price_sensitive/last_hours,${C(2)},price_sensitive,sms,false,,,America/New_York,frequency_cap`,
  `${CW}:price_sensitive/last_hours,${C(6)},price_sensitive,sms,false,,,Asia/Tokyo,no_address`,
  `${CW}:price_sensitive/last_hours,${C(6)},price_sensitive,email,false,,,Asia/Tokyo,frequency_cap`,
  `${CW}:price_sensitive/launch,${C(2)},price_sensitive,sms,false,2026-11-30T13:00:00.000Z,2026-11-30T08:00:00-05:00,America/New_York,`,
  `${CW}:price_sensitive/launch,${C(6)},price_sensitive,sms,false,,,Asia/Tokyo,no_address`,
  `${CW}:price_sensitive/launch,${C(6)},price_sensitive,email,false,2026-11-30T01:30:00.000Z,2026-11-30T10:30:00+09:00,Asia/Tokyo,`,
  `${CW}:vip/early_access,${C(1)},vip,email,false,2026-11-30T01:30:00.000Z,2026-11-29T20:30:00-05:00,America/New_York,`,
  "",
].join("\n");

const shopFile = (zone = "America/Chicago") =>
  file(
    `shop-${zone.replace("/", "-")}.json`,
    JSON.stringify({ ianaTimezone: zone, currencyCode: "USD", countryCode: "US" }),
  );
const small = () => [
  "--customers",
  file("small.customers.jsonl", `${SMALL_CUSTOMERS.join("\n")}\n`),
  "--orders",
  file("small.orders.jsonl", `${SMALL_ORDERS.join("\n")}\n`),
];
const plan = (...args: string[]) => cli("plan", "--playbook", "cyber-week", "--year", "2026", ...args);

describe("npm run cli -- plan, hand-made store", () => {
  it.each([
    ["before the season", "2026-11-01T00:00:00Z", EXPECTED_BEFORE],
    ["during the season", "2026-11-30T01:30:00Z", EXPECTED_DURING],
  ])("writes the worked-out plan %s", async (_, asOf, expected) => {
    const out = join(dir, `small-${asOf.slice(0, 10)}.csv`);
    const settings = file("no-holdout.json", '{"holdoutShare": 0}');
    const run = await plan(
      ...small(),
      "--shop",
      shopFile(),
      "--as-of",
      asOf,
      "--settings",
      settings,
      "--out",
      out,
      "--strict",
    );
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(expected);
  });

  it("needs no field planning does not use: the store without them gives the same worked-out plan", async () => {
    const without = (lines: string[], unused: string[]) =>
      lines.map((line) => JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(line) as object).filter(([k]) => !unused.includes(k)))));
    const customers = file("bare.customers.jsonl", `${without(SMALL_CUSTOMERS, ["createdAt", "updatedAt", "tags"]).join("\n")}\n`);
    const orders = file("bare.orders.jsonl", `${without(SMALL_ORDERS, ["updatedAt", "discountCodes"]).join("\n")}\n`);
    const out = join(dir, "bare.csv");
    const settings = file("no-holdout.json", '{"holdoutShare": 0}');
    const run = await plan("--customers", customers, "--orders", orders, "--shop", shopFile(), "--as-of", "2026-11-01T00:00:00Z", "--settings", settings, "--out", out, "--strict");
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(EXPECTED_BEFORE);
  });

  it("plans the segments definition's documented example: every line accepted", async () => {
    // 7 price_sensitive, 8 lapsed, 9 a prospect (test/fixtures/segments/README.md); no consent, no
    // address: every channel the campaign considers is no_consent, in the shop's zone.
    const run = await plan(
      "--customers",
      "test/fixtures/segments/documented.customers.jsonl",
      "--orders",
      "test/fixtures/segments/documented.orders.jsonl",
      "--shop",
      shopFile(),
      "--as-of",
      "2026-11-20T00:00:00Z",
      "--strict",
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/:\d+: /);
    expect(run.stderr).toContain("3 customers, 6 orders read (3 counted)");
    const row = (send: string, id: number, segment: string, channel: string) =>
      `${CW}:${send},${C(id)},${segment},${channel},false,,,America/Chicago,no_consent`;
    expect(run.stdout).toBe(
      [
        HEADER,
        row("lapsed/launch", 8, "lapsed", "email"),
        row("price_sensitive/last_hours", 7, "price_sensitive", "sms"),
        row("price_sensitive/last_hours", 7, "price_sensitive", "email"),
        row("price_sensitive/launch", 7, "price_sensitive", "sms"),
        row("price_sensitive/launch", 7, "price_sensitive", "email"),
        "",
      ].join("\n"),
    );
  });

  it("holds out by the campaign's key, the same for all its sends, and says so in the summary", async () => {
    const run = await plan(...small(), "--shop", shopFile(), "--as-of", "2026-11-01T00:00:00Z");
    expect(run.code, run.stderr).toBe(0);
    const rows = run.stdout
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(","));
    const cutoffs = cutoffsOf(rows.map(([campaign = "", id = ""]) => ({ campaign, id })));
    for (const [campaign = "", id = "", , , holdout, sendAt, , , skip] of rows) {
      const draft = campaign.split("/")[0] ?? "";
      const expected = isHoldout(draft, id, cutoffs.get(draft) ?? 0);
      expect(holdout, `${campaign} ${id}`).toBe(String(expected));
      if (expected && skip === "holdout") expect(sendAt).not.toBe("");
    }
    expect(run.stderr).toContain(
      "6 customers, 8 orders read (8 counted); segments as of 2026-11-01T00:00:00.000Z",
    );
    expect(run.stderr).toContain(
      "segments: prospect 1 (no campaign), lapsed 1, vip 1, price_sensitive 2, recent 1, regular 0 (no campaign)",
    );
    expect(run.stderr).toContain(
      "time zones: 3 customers in their own, 3 in the shop's America/Chicago (2 without a zone, 1 with an invalid one)",
    );
    expect(run.stderr).toMatch(/cyber-week-2026:price_sensitive\/launch: 2 customers, \d held out/);
    expect(run.stderr).not.toMatch(/example\.com|\+1\d{10}/); // no personal data
  });

  it("reports bad lines as the segments CLI does, skips and counts them; --strict stops with exit 1", async () => {
    const c = "test/fixtures/segments/bad.customers.jsonl";
    const o = "test/fixtures/segments/bad.orders.jsonl";
    const out = join(dir, "bad.csv");
    const run = await plan(
      "--customers",
      c,
      "--orders",
      o,
      "--shop",
      shopFile(),
      "--as-of",
      "2026-11-20T00:00:00Z",
      "--out",
      out,
    );
    expect(run.code).toBe(0);
    expect(run.stderr.split("\n").filter((l) => /^\S+:\d+: /.test(l))).toEqual([
      `${c}:2: invalid JSON`,
      `${c}:3: id: missing`,
      `${c}:5: id: duplicate customer`,
      `${o}:2: test: missing`,
      `${o}:3: unknown currency mix: order in EUR/EUR, shop in USD`,
      `${o}:4: invalid JSON`,
      `${o}:5: "12.345" has more decimals than USD allows (2)`,
      `${o}:7: id: duplicate order (first on line 6), counted once`,
      `${o}:8: currentTotalPriceSet: negative amount`,
      `${o}:9: totalDiscountsSet: negative amount`,
    ]);
    expect(run.stderr).toContain(`10 bad lines skipped (3 in ${c}, 7 in ${o})`);
    expect(readFileSync(out, "utf8").split("\n")[0]).toBe(HEADER);

    const strictOut = join(dir, "strict.csv");
    const strict = await plan(
      "--customers",
      c,
      "--orders",
      o,
      "--shop",
      shopFile(),
      "--as-of",
      "2026-11-20T00:00:00Z",
      "--out",
      strictOut,
      "--strict",
    );
    expect(strict.code).toBe(1);
    expect(strict.stderr.trim()).toBe(`${c}:2: invalid JSON`);
    expect(existsSync(strictOut)).toBe(false);
  });

  it("exits 2 with one line, no stack trace, when a file is a directory", async () => {
    const sub = join(dir, "a-directory");
    mkdirSync(sub, { recursive: true });
    const [, customers = "", , orders = ""] = small();
    const cases: Array<[string[], string]> = [
      [["--customers", sub, "--orders", orders, "--shop", shopFile()], `cannot read ${sub}: is a directory`],
      [["--customers", customers, "--orders", sub, "--shop", shopFile()], `cannot read ${sub}: is a directory`],
      [["--customers", customers, "--orders", orders, "--shop", sub], `cannot read ${sub}: is a directory`],
      [["--customers", customers, "--orders", orders, "--shop", shopFile(), "--settings", sub], `cannot read ${sub}: is a directory`],
      [["--customers", customers, "--orders", orders, "--shop", shopFile(), "--out", sub], `cannot write ${sub}: is a directory`],
    ];
    for (const [args, message] of cases) {
      const run = await plan(...args, "--as-of", "2026-11-01T00:00:00Z");
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr).toBe(`${message}\n`);
    }
  });

  it("prints usage with --help and exits 2 on usage errors, naming the file and field", async () => {
    const help = await cli("plan", "--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(
      "Usage: npm run cli -- plan --customers FILE --orders FILE --shop FILE --playbook KEY",
    );
    expect((await cli("--help")).stdout).toMatch(/^ {2}plan {8}/m);
    const badShop = file("bad-shop.json", '{"currencyCode":"USD","countryCode":"US"}');
    const badSettings = file("bad-settings.json", '{"caps":{"sms":-1}}');
    const unknownRegion = file("unknown-region.json", '{"caps":{"email":1e1},"stateQuietHours":{"US-FLA":{"start":"08:00","end":"20:00"}}}');
    const cases: Array<[string[], RegExp]> = [
      [["plan", ...small(), "--playbook", "cyber-week"], /--shop FILE is required/],
      [
        ["plan", ...small(), "--shop", shopFile(), "--playbook", "easter"],
        /Playbook must be one of "cyber-week", "christmas"/,
      ],
      [
        ["plan", ...small(), "--shop", badShop, "--playbook", "christmas"],
        new RegExp(`${badShop}: ianaTimezone: missing`),
      ],
      [
        ["plan", ...small(), "--shop", join(dir, "nope.json"), "--playbook", "christmas"],
        /cannot read .*nope\.json/,
      ],
      [
        ["plan", ...small(), "--shop", shopFile(), "--playbook", "christmas", "--settings", badSettings],
        new RegExp(`${badSettings}: caps.sms: SMS cap must be 0 hours or more`),
      ],
      [
        ["plan", ...small(), "--shop", shopFile(), "--playbook", "christmas", "--settings", unknownRegion],
        new RegExp(`${unknownRegion}: caps.email: a cap in hours must be a whole number written as digits \\(got 1e1\\)\n${unknownRegion}: stateQuietHours.US-FLA: US-FLA is not a known state or province`),
      ],
      [
        ["plan", ...small(), "--shop", shopFile(), "--playbook", "christmas", "--year", "20266"],
        /--year must be a year like 2026/,
      ],
    ];
    for (const [args, message] of cases) {
      const run = await cli(...args);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr + run.stdout).toMatch(message);
    }
  });
});

describe("npm run cli -- plan, the season", () => {
  it("plans the playbook's next season not over at --as-of, and refuses one that has ended", async () => {
    const december = ["--shop", shopFile("America/New_York"), "--as-of", "2026-12-05T15:00:00Z"];
    const cyberWeek = await cli("plan", ...small(), ...december, "--playbook", "cyber-week");
    expect(cyberWeek.code, cyberWeek.stderr).toBe(0);
    expect(cyberWeek.stderr).toContain("cyber-week 2027 (US)");
    expect(cyberWeek.stdout).toContain("cyber-week-2027:");
    const christmas = await cli("plan", ...small(), ...december, "--playbook", "christmas");
    expect(christmas.code, christmas.stderr).toBe(0);
    expect(christmas.stderr).toContain("christmas 2026 (US)");

    const ended = await cli("plan", ...small(), ...december, "--playbook", "cyber-week", "--year", "2026");
    expect(ended.code).toBe(2);
    expect(ended.stdout).toBe("");
    expect(ended.stderr.trim()).toBe(
      "Cyber Week 2026 has ended: its last day was Mon, Nov 30, 2026 (the shop's time zone). Plan Cyber Week 2027 instead. (as of 2026-12-05T15:00:00.000Z)",
    );
  });
});

// ── a generated store, row by row ─────────────────────────────────────────────────────────────────

interface Person {
  email: string | null;
  phone: string | null;
  emailState: string | null;
  smsState: string | null;
  region: string | null;
  zone: string | null;
}

interface Row {
  campaign: string;
  customer_id: string;
  segment: string;
  channel: string;
  holdout: string;
  send_at_utc: string;
  local_send_time: string;
  time_zone: string;
  skip_reason: string;
}
const SHOP_ZONE = "America/New_York";
const STATE_UNTIL_20 = new Set(["US-FL", "US-OK", "US-WA"]);
const SENDS: Record<string, { segment: string; channels: string[]; date: string; time: string }> = {
  [`${CW}:vip/early_access`]: {
    segment: "vip",
    channels: ["email", "sms"],
    date: "2026-11-25",
    time: "10:00",
  },
  [`${CW}:lapsed/launch`]: { segment: "lapsed", channels: ["email"], date: "2026-11-27", time: "10:00" },
  [`${CW}:price_sensitive/launch`]: {
    segment: "price_sensitive",
    channels: ["sms", "email"],
    date: "2026-11-27",
    time: "10:00",
  },
  [`${CW}:price_sensitive/last_hours`]: {
    segment: "price_sensitive",
    channels: ["sms", "email"],
    date: "2026-11-30",
    time: "18:00",
  },
  [`${CW}:recent/launch`]: { segment: "recent", channels: ["email"], date: "2026-11-27", time: "10:00" },
};

function validZone(zone: string | null): zone is string {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** "2026-11-27 10:00" and the ISO offset form, read by Intl independently of the app's time code. */
function local(iso: string, zone: string): { date: string; time: string; minutes: number } {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(iso));
  const p = (type: string) => parts.find((x) => x.type === type)?.value ?? "";
  return {
    date: `${p("year")}-${p("month")}-${p("day")}`,
    time: `${p("hour")}:${p("minute")}`,
    minutes: Number(p("hour")) * 60 + Number(p("minute")),
  };
}

const State = z.object({ marketingState: z.string() }).nullable();
const CustomerLine = z.object({
  id: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  emailMarketingConsent: State,
  smsMarketingConsent: State,
  defaultAddress: z
    .object({ countryCodeV2: z.string(), provinceCode: z.string().nullable(), timeZone: z.string() })
    .nullable(),
});

function readPeople(path: string): Map<string, Person> {
  const people = new Map<string, Person>();
  for (const line of readFileSync(path, "utf8").trim().split("\n")) {
    const c = CustomerLine.parse(JSON.parse(line));
    const a = c.defaultAddress;
    people.set(c.id, {
      email: c.email,
      phone: c.phone,
      emailState: c.emailMarketingConsent?.marketingState ?? null,
      smsState: c.smsMarketingConsent?.marketingState ?? null,
      region: a?.provinceCode ? `${a.countryCodeV2}-${a.provinceCode}` : null,
      zone: a?.timeZone ?? null,
    });
  }
  return people;
}

function parsePlan(text: string): Row[] {
  const [header, ...lines] = text.split("\n");
  expect(header).toBe(HEADER);
  expect(lines.pop()).toBe(""); // a final newline
  expect(text).not.toContain('"');
  return lines.map((line) => {
    const cells = line.split(",");
    expect(cells).toHaveLength(9);
    const at = (i: number) => cells[i] ?? "";
    return {
      campaign: at(0),
      customer_id: at(1),
      segment: at(2),
      channel: at(3),
      holdout: at(4),
      send_at_utc: at(5),
      local_send_time: at(6),
      time_zone: at(7),
      skip_reason: at(8),
    };
  });
}

describe("npm run cli -- plan, generated store of 20,000 customers", () => {
  const customersFile = join(dir, "store.customers.jsonl");
  const ordersFile = join(dir, "store.orders.jsonl");
  let people: Map<string, Person>;

  beforeAll(async () => {
    const store = generateStore({
      domain: "cli-plan.myshopify.com",
      seed: 7,
      customers: 20_000,
      orders: 80_000,
      until: TEST_HISTORY_END,
    });
    await writeStoreJsonl(store, customersFile, ordersFile, 20_000, 80_000);
    people = readPeople(customersFile);
  });

  /** The checks every plan obeys, whatever "now" is; the first failures are reported together. */
  function checkRows(rows: Row[], asOf: string, segments: Map<string, string>): void {
    const failures: string[] = [];
    const check = (ok: boolean, what: string): void => {
      if (!ok && failures.length < 20) failures.push(what);
    };
    const seen = new Set<string>();
    const perCustomer = new Map<string, Row[]>();
    const cutoffs = cutoffsOf(rows.map((r) => ({ campaign: r.campaign, id: r.customer_id })));
    const INELIGIBLE = new Set(["no_consent", "no_address"]);
    for (const r of rows) {
      const where = `${r.campaign} ${r.customer_id} ${r.channel}`;
      const person = people.get(r.customer_id);
      const send = SENDS[r.campaign];
      if (!person || !send) throw new Error(`unknown customer or campaign: ${where}`);
      // one row per (campaign, customer, channel); the segment is the segments CLI's
      check(!seen.has(where), `${where}: twice`);
      seen.add(where);
      check(
        r.segment === send.segment && segments.get(r.customer_id) === send.segment,
        `${where}: segment ${r.segment}`,
      );
      // the time zone rule
      check(
        r.time_zone === (validZone(person.zone) ? person.zone : SHOP_ZONE),
        `${where}: zone ${r.time_zone}`,
      );
      // consent: every row past eligibility has the channel's consent and an address
      const [state, address] =
        r.channel === "email" ? [person.emailState, person.email] : [person.smsState, person.phone];
      if (!INELIGIBLE.has(r.skip_reason))
        check(state === "SUBSCRIBED" && address !== null, `${where}: sent without consent`);
      if (r.skip_reason === "no_consent") check(state !== "SUBSCRIBED", `${where}: consent refused`);
      // holdout: the 10% of the draft's customers first in its hash order, on every row, never sent
      const draft = r.campaign.split("/")[0] ?? "";
      check(
        r.holdout === String(isHoldout(draft, r.customer_id, cutoffs.get(draft) ?? 0)),
        `${where}: holdout ${r.holdout}`,
      );
      check(r.skip_reason !== "holdout" || r.holdout === "true", `${where}: holdout reason without the flag`);
      check(r.holdout !== "true" || r.skip_reason !== "", `${where}: held out but sent`);
      // times: both columns agree; nothing before "now" nor after the campaign's last local day
      check((r.send_at_utc === "") === (r.local_send_time === ""), `${where}: one time column empty`);
      check(
        (r.send_at_utc === "") === (r.skip_reason !== "" && r.skip_reason !== "holdout"),
        `${where}: time vs ${r.skip_reason}`,
      );
      if (r.send_at_utc !== "") {
        const at = local(r.send_at_utc, r.time_zone);
        check(
          r.local_send_time.slice(0, 16) === `${at.date}T${at.time}`,
          `${where}: local ${r.local_send_time}`,
        );
        check(Date.parse(r.local_send_time) === Date.parse(r.send_at_utc), `${where}: local ≠ UTC`);
        check(Date.parse(r.send_at_utc) >= Date.parse(asOf), `${where}: before now`);
        check(at.date <= "2026-11-30", `${where}: after the end (${r.local_send_time})`);
        if (r.channel === "sms") {
          const end = person.region && STATE_UNTIL_20.has(person.region) ? 20 * 60 : 21 * 60;
          check(
            at.minutes >= 8 * 60 && at.minutes < end,
            `${where}: text at ${r.local_send_time} (${person.region})`,
          );
        }
      }
      const list = perCustomer.get(r.customer_id) ?? [];
      list.push(r);
      perCustomer.set(r.customer_id, list);
    }
    for (const [id, list] of perCustomer) {
      // the campaign's channel order; "first" stops at the first eligible channel
      for (const [campaign, send] of Object.entries(SENDS)) {
        const mine = list.filter((r) => r.campaign === campaign);
        if (mine.length === 0) continue;
        const channels = mine.map((r) => r.channel).join(",");
        check(
          channels === send.channels.slice(0, mine.length).join(","),
          `${campaign} ${id}: channels ${channels}`,
        );
        check(
          mine.slice(0, -1).every((r) => INELIGIBLE.has(r.skip_reason)),
          `${campaign} ${id}: a channel after an eligible one`,
        );
        const last = mine[mine.length - 1];
        check(
          !last || !INELIGIBLE.has(last.skip_reason) || mine.length === send.channels.length,
          `${campaign} ${id}: stopped early`,
        );
      }
      // caps across a customer's campaigns: 16 h between emails, 24 h between texts
      for (const [channel, hours] of [
        ["email", 16],
        ["sms", 24],
      ] as const) {
        const times = list
          .filter((r) => r.channel === channel && r.skip_reason === "")
          .map((r) => Date.parse(r.send_at_utc))
          .sort((a, b) => a - b);
        times
          .slice(1)
          .forEach((t, i) =>
            check(t - (times[i] ?? 0) >= hours * 3_600_000, `${id}: two ${channel} within ${hours} h`),
          );
      }
    }
    // every customer of a planned segment is in every send of its campaign; the others in none
    for (const [id, segment] of segments) {
      const campaigns = [...new Set((perCustomer.get(id) ?? []).map((r) => r.campaign))].sort().join(" ");
      const expected = Object.entries(SENDS)
        .filter(([, s]) => s.segment === segment)
        .map(([k]) => k)
        .sort()
        .join(" ");
      check(campaigns === expected, `${id} (${segment}): in ${campaigns}`);
    }
    expect(failures).toEqual([]);
  }

  async function run(asOf: string): Promise<{ rows: Row[]; segments: Map<string, string>; stderr: string }> {
    const out = join(dir, `store-${asOf.slice(0, 10)}.csv`);
    const seg = join(dir, `store-segments-${asOf.slice(0, 10)}.csv`);
    const [planned, scored] = await Promise.all([
      plan(
        "--customers",
        customersFile,
        "--orders",
        ordersFile,
        "--shop",
        shopFile(SHOP_ZONE),
        "--as-of",
        asOf,
        "--out",
        out,
        "--strict",
      ),
      cli(
        "segments",
        "--customers",
        customersFile,
        "--orders",
        ordersFile,
        "--as-of",
        asOf,
        "--out",
        seg,
        "--strict",
      ),
    ]);
    expect(planned.code, planned.stderr).toBe(0);
    expect(scored.code, scored.stderr).toBe(0);
    const segments = new Map(
      readFileSync(seg, "utf8")
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => [l.split(",")[0] ?? "", l.split(",")[8] ?? ""]),
    );
    return { rows: parsePlan(readFileSync(out, "utf8")), segments, stderr: planned.stderr };
  }

  it("before the season: every rule holds, sends at their local times, holdout near 10% per campaign", async () => {
    const { rows, segments, stderr } = await run("2026-11-01T00:00:00Z");
    checkRows(rows, "2026-11-01T00:00:00Z", segments);
    for (const r of rows.filter((x) => x.send_at_utc !== "")) {
      const send = SENDS[r.campaign];
      expect(r.local_send_time.slice(0, 16), `${r.campaign} ${r.customer_id}`).toBe(
        `${send?.date}T${send?.time}`,
      );
    }
    // Holdout: exactly round(10% × n) of each campaign's customers, so within 1 point from 50 up.
    const byCampaign = new Map<string, Map<string, boolean>>();
    for (const r of rows)
      byCampaign.set(
        r.campaign,
        (byCampaign.get(r.campaign) ?? new Map()).set(r.customer_id, r.holdout === "true"),
      );
    let large = 0;
    for (const [campaign, customers] of byCampaign) {
      const n = customers.size;
      const share = [...customers.values()].filter(Boolean).length / n;
      const bound = n >= 50 ? 0.01 : 0.5 / n + 1e-9;
      if (n >= 50) large++;
      expect(Math.abs(share - 0.1), `${campaign}: ${share} of ${n}`).toBeLessThanOrEqual(bound);
    }
    expect(large).toBeGreaterThanOrEqual(2);
    // the generator gives consent only with an address, so no no_address here (the small store has them)
    expect(new Set(rows.map((r) => r.skip_reason))).toEqual(new Set(["", "no_consent", "holdout"]));
    expect(stderr).toMatch(/^cyber-week 2026 \(US\): 5 campaign sends, \d+ rows$/m);
  });

  it("during the season: passed sends move to now, texts wait for their hours", async () => {
    // 22:30 on Black Friday in New York, 04:30 next morning in Berlin, 12:30 in Tokyo.
    const asOf = "2026-11-28T03:30:00Z";
    const { rows, segments } = await run(asOf);
    checkRows(rows, asOf, segments);
    const now = new Date(asOf).toISOString();
    const sent = rows.filter((r) => r.skip_reason === "");
    expect(
      sent.some(
        (r) => r.channel === "sms" && r.send_at_utc !== now && r.local_send_time.slice(11, 16) === "08:00",
      ),
    ).toBe(true);
    expect(sent.some((r) => r.channel === "sms" && r.send_at_utc === now)).toBe(true); // where it is daytime
    expect(sent.some((r) => r.channel === "email" && r.send_at_utc === now)).toBe(true);
  });

  it("on the last day: caps and the campaign's local end bite", async () => {
    // Cyber Monday 15:00 in New York, 21:00 in Berlin, already 1 December in Tokyo.
    const asOf = "2026-11-30T20:00:00Z";
    const { rows, segments } = await run(asOf);
    checkRows(rows, asOf, segments);
    const reasons = new Set(rows.map((r) => r.skip_reason));
    expect(reasons).toContain("frequency_cap"); // the launch went now, the last hours are 3 h later
    expect(reasons).toContain("campaign_ended");
    const ended = rows.filter((r) => r.skip_reason === "campaign_ended");
    expect(ended.some((r) => r.time_zone === "Asia/Tokyo")).toBe(true);
    expect(ended.every((r) => r.time_zone !== "America/Los_Angeles")).toBe(true);
  });
});
