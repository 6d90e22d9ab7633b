import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confirmSignup } from "~/storefront/signup/confirm-signup.server";
import { signConfirmation } from "~/storefront/signup/confirmation-token.server";
import { signUp, type ProxyShopper, type SignUpDeps } from "~/storefront/signup/sign-up.server";
import { buildCustomerExport, redactCustomer } from "~/sync/compliance/compliance.server";
import type { AdminGraphql } from "~/sync/store-overview.server";
import { startEmulator, type Emulator } from "../emulator/index";
import { API_KEY, API_SECRET, installedAdmin } from "../emulator/helpers";
import { databaseModes, type TestDatabase } from "./helpers/db";

// A storefront signup against the emulator's Shopify (every document validated against the Admin
// schema; the store's consent is the oracle) and a real database: the customer created or found,
// consent set at the right level, each change in the ledger with the text shown, a double opt-in
// confirmed once, bots and floods refused, and the ledger exported and redacted with the customer.

const SHOP = "storefront-signup.myshopify.com";
const SECRET = Buffer.from("storefront-signup-test-secret-32");
const SMS_TEXT =
  "Marketing texts from Signup Goods about holiday offers, up to 6 msgs/month. Msg & data rates may apply. Reply STOP to cancel, HELP for help. Consent is not a condition of purchase.";
const EMAIL_TEXT = "Email me news and offers from Signup Goods.";
const now = new Date("2026-12-06T15:00:00Z");
let emulator: Emulator;
let admin: AdminGraphql;

beforeAll(async () => {
  emulator = await startEmulator({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    appUrl: "http://127.0.0.1:9",
    webhooks: [],
    shops: [{ domain: SHOP, seed: 11, customers: 6, orders: 6, products: 2 }],
    now: () => now,
  });
  admin = await installedAdmin(emulator, SHOP);
});
afterAll(async () => {
  await emulator.close();
});

const shopper = (ip: string, loggedInCustomerId: bigint | null = null): ProxyShopper => ({
  shop: SHOP,
  loggedInCustomerId,
  ip,
  userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/140",
});

const form = (fields: Record<string, string>) =>
  new URLSearchParams({ locale: "en", page_url: "/pages/holiday", source: "signup-form", return_to: "/", website: "", ...fields });

function storeCustomer(id: bigint) {
  const store = emulator.store(SHOP);
  const i = store.customerIndexOf(Number(id));
  if (i === undefined) throw new Error(`the emulator has no customer ${id}`);
  return store.customer(i);
}

describe.each(databaseModes)("storefront signup ($name)", (mode) => {
  let db: TestDatabase;
  const queued: Array<{ recordId: string }> = [];
  const deps = (): SignUpDeps => ({
    prisma: db.prisma,
    admin,
    now: () => now,
    confirm: async (job) => {
      queued.push(job);
    },
    log: () => undefined,
  });
  beforeAll(async () => {
    db = await mode.open();
  });
  afterAll(async () => {
    await db.close();
  });

  it("creates a new shopper pending for email and subscribed for texts, then confirms the email once", async () => {
    const email = `new-${mode.name}@example.com`;
    const phone = mode.name === "pglite" ? "+12125550142" : "+12125550143";
    const result = await signUp(deps(), shopper("203.0.113.7"), form({ email, phone, email_consent: "yes", sms_consent: "yes", email_disclosure: EMAIL_TEXT, sms_disclosure: SMS_TEXT }));
    expect(result).toMatchObject({ ok: true, outcome: "pending", message: "pendingEmail" });

    const ledger = await db.prisma.consentRecord.findMany({ where: { shop: SHOP }, orderBy: { channel: "asc" } });
    expect(ledger.map((r) => [r.channel, r.state, r.optInLevel, r.ip, r.pageUrl])).toEqual([
      ["email", "PENDING", "CONFIRMED_OPT_IN", "203.0.113.7", "/pages/holiday"],
      ["sms", "SUBSCRIBED", "SINGLE_OPT_IN", "203.0.113.7", "/pages/holiday"],
    ]);
    const customerId = ledger[0]?.customerId ?? 0n;
    expect(ledger[1]?.customerId).toBe(customerId);
    const created = storeCustomer(customerId);
    expect([created.email, created.phone]).toEqual([email, phone]);
    expect(created.emailMarketingConsent).toMatchObject({ marketingState: "PENDING", marketingOptInLevel: "CONFIRMED_OPT_IN" });
    expect(created.smsMarketingConsent).toMatchObject({ marketingState: "SUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN" });
    const texts = await db.prisma.consentDisclosure.findMany({ where: { shop: SHOP }, orderBy: { channel: "asc" } });
    expect(texts.map((t) => t.text)).toEqual([EMAIL_TEXT, SMS_TEXT]);
    expect(queued.at(-1)?.recordId).toBe(ledger[0]?.id);

    const pending = ledger[0];
    if (!pending) throw new Error("no pending record");
    const token = signConfirmation(SECRET, { shop: SHOP, customerId, recordId: pending.id, expiresAt: new Date(now.getTime() + 86_400_000) });
    const confirmDeps = { prisma: db.prisma, admin, secret: SECRET, now: () => now, log: () => undefined };
    expect(await confirmSignup(confirmDeps, shopper("198.51.100.4"), token)).toEqual({ ok: true, message: "confirmed" });
    expect(storeCustomer(customerId).emailMarketingConsent).toMatchObject({ marketingState: "SUBSCRIBED", marketingOptInLevel: "CONFIRMED_OPT_IN" });
    expect(await confirmSignup(confirmDeps, shopper("198.51.100.4"), token)).toEqual({ ok: true, message: "alreadyConfirmed" });
    const confirmations = await db.prisma.consentRecord.findMany({ where: { shop: SHOP, confirms: pending.id } });
    expect(confirmations.map((r) => [r.state, r.optInLevel, r.ip, r.disclosureId])).toEqual([
      ["SUBSCRIBED", "CONFIRMED_OPT_IN", "198.51.100.4", pending.disclosureId],
    ]);
    expect(await confirmSignup(confirmDeps, shopper("198.51.100.4"), `${token.slice(0, -2)}xx`)).toEqual({ ok: false, message: "confirmInvalid" });

    // evidence is never edited, only added; it leaves with the customer
    await expect(db.prisma.consentRecord.update({ where: { id: pending.id }, data: { state: "SUBSCRIBED" } })).rejects.toThrow(/append-only/);
    const exported = await buildCustomerExport(db.prisma, SHOP, { customerId, orderIds: [] }, now);
    expect(exported.consent?.map((r) => `${String(r.channel)} ${String(r.state)}`).sort()).toEqual(["email PENDING", "email SUBSCRIBED", "sms SUBSCRIBED"]);
    expect(exported.consent?.find((r) => r.state === "PENDING")?.disclosure).toBe(EMAIL_TEXT);
    await redactCustomer(db.prisma, SHOP, { customerId, orderIds: [] }, now);
    expect(await db.prisma.consentRecord.count({ where: { shop: SHOP, customerId } })).toBe(0);
  });

  it("subscribes an existing customer found by email, and keeps a logged-in customer to their own address", async () => {
    const store = emulator.store(SHOP);
    const i = [...Array(store.customerCount).keys()].find((k) => store.customer(k).email && store.customer(k).emailMarketingConsent?.marketingState !== "SUBSCRIBED");
    if (i === undefined) throw new Error("the generated shop has no unsubscribed customer with an email");
    const known = store.customer(i);
    const id = BigInt(known.legacyResourceId);
    const loggedIn = await signUp(deps(), shopper("192.0.2.50", id), form({ email: "someone-else@example.com", email_consent: "yes", email_disclosure: EMAIL_TEXT }));
    expect(loggedIn).toMatchObject({ ok: false, status: 422, fieldErrors: { email: "notYourEmail" } });

    const result = await signUp(deps(), shopper("192.0.2.50"), form({ email: (known.email ?? "").toUpperCase(), email_consent: "yes", email_disclosure: EMAIL_TEXT }));
    expect(result).toMatchObject({ ok: true, outcome: "pending" });
    expect(store.customer(i).emailMarketingConsent?.marketingState).toBe("PENDING");
    expect(store.customerCount).toBeGreaterThan(i);
    expect(await db.prisma.consentRecord.count({ where: { shop: SHOP, customerId: id } })).toBe(1);
  });

  it("adds the number to a logged-in customer who has none, and refuses one another account holds", async () => {
    const store = emulator.store(SHOP);
    const free = [...Array(store.customerCount).keys()].filter((k) => !store.customer(k).phone && store.customer(k).smsMarketingConsent?.marketingState !== "SUBSCRIBED");
    const holder = [...Array(store.customerCount).keys()].find((k) => store.customer(k).phone);
    const [first, second] = free;
    if (first === undefined || second === undefined || holder === undefined) throw new Error("the generated shop lacks customers without and with a phone");
    const phone = mode.name === "pglite" ? "+16465550171" : "+16465550172";
    const own = await signUp(deps(), shopper("192.0.2.60", BigInt(store.customerLegacyId(first))), form({ phone, sms_consent: "yes", sms_disclosure: SMS_TEXT }));
    expect(own).toMatchObject({ ok: true, outcome: "subscribed" });
    expect(store.customer(first).phone).toBe(phone);
    expect(store.customer(first).smsMarketingConsent).toMatchObject({ marketingState: "SUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN" });

    const someoneElses = store.customer(holder).phone ?? "";
    const refused = await signUp(deps(), shopper("192.0.2.60", BigInt(store.customerLegacyId(second))), form({ phone: someoneElses, sms_consent: "yes", sms_disclosure: SMS_TEXT }));
    expect(refused).toMatchObject({ ok: false, status: 422, fieldErrors: { phone: "phoneTaken" } });
    expect(store.customer(second).phone).toBeNull();
    expect(await db.prisma.consentRecord.count({ where: { shop: SHOP, customerId: BigInt(store.customerLegacyId(second)) } })).toBe(0);
  });

  it("answers a bot's filled honeypot like a success and changes nothing; refuses the sixth post in a minute", async () => {
    const before = emulator.store(SHOP).customerCount;
    const rows = await db.prisma.consentRecord.count({ where: { shop: SHOP } });
    const bot = await signUp(deps(), shopper("192.0.2.99"), form({ email: "bot@example.com", email_consent: "yes", email_disclosure: EMAIL_TEXT, website: "http://spam.example" }));
    expect(bot).toMatchObject({ ok: true });
    expect(emulator.store(SHOP).customerCount).toBe(before);
    expect(await db.prisma.consentRecord.count({ where: { shop: SHOP } })).toBe(rows);

    const flood = shopper(`192.0.2.${mode.name === "pglite" ? 100 : 101}`);
    const statuses: Array<number | "ok"> = [];
    for (let n = 0; n < 6; n++) {
      const r = await signUp(deps(), flood, form({ email: "not-an-address" }));
      statuses.push(r.ok ? "ok" : r.status);
    }
    expect(statuses).toEqual([422, 422, 422, 422, 422, 429]);
  });
});
