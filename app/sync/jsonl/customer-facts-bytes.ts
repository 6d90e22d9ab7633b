import type { CustomerFacts } from "../backfill/fact-lines";
import { ascii, compileFields, FieldReader, KIND, LINE } from "./byte-fields";
import { jsonString } from "./byte-strings";

import { CanonicalScanner, text } from "./canonical-scanner";
import { READ, type ReadResult } from "./order-facts-bytes";

// A customer line as parseCustomerFacts reads it, from the read buffer: the exact line of the
// customers bulk query first, then any shape through FieldReader; OTHER when only the string parser
// can say (a bad line, an id beyond 15 digits). The id is read on every line, the contact and
// consent fields only when `facts()` is asked for. Pure; one reader per file.

const HEAD = text('{"id":"gid://shopify/Customer/');
const FIRST_NAME = text('","firstName":');
const LAST_NAME = text(',"lastName":');
const EMAIL = text(',"email":');
const PHONE = text(',"phone":');
const CREATED = text(',"createdAt":');
const UPDATED = text(',"updatedAt":');
const LOCALE = text(',"locale":');
const TAGS = text(',"tags":[');
const EMAIL_CONSENT = text(',"emailMarketingConsent":');
const SMS_CONSENT = text(',"smsMarketingConsent":');
const STATE = text('{"marketingState":');
const LEVEL = text(',"marketingOptInLevel":');
const CONSENT_AT = text(',"consentUpdatedAt":');
const ADDRESS = text(',"defaultAddress":');
const COUNTRY = text('{"countryCodeV2":');
const PROVINCE = text(',"provinceCode":');
const TIME_ZONE = text(',"timeZone":');
const STATISTICS = text(',"statistics":');
const RFM_GROUP = text('{"rfmGroup":');

const PATHS = [
  "id",
  "email",
  "phone",
  "emailMarketingConsent",
  "emailMarketingConsent.marketingState",
  "smsMarketingConsent",
  "smsMarketingConsent.marketingState",
  "defaultAddress",
  "defaultAddress.countryCodeV2",
  "defaultAddress.countryCode",
  "defaultAddress.provinceCode",
  "defaultAddress.timeZone",
  "__parentId",
] as const;
const SPEC = compileFields(PATHS);
const slot = (path: (typeof PATHS)[number]): number => SPEC.slotOf(path);
const S = {
  id: slot("id"),
  email: slot("email"),
  phone: slot("phone"),
  emailConsent: slot("emailMarketingConsent"),
  emailState: slot("emailMarketingConsent.marketingState"),
  smsConsent: slot("smsMarketingConsent"),
  smsState: slot("smsMarketingConsent.marketingState"),
  address: slot("defaultAddress"),
  countryV2: slot("defaultAddress.countryCodeV2"),
  country: slot("defaultAddress.countryCode"),
  province: slot("defaultAddress.provinceCode"),
  timeZone: slot("defaultAddress.timeZone"),
  parentId: slot("__parentId"),
};
const CUSTOMER_PREFIX = ascii("gid://shopify/Customer/");

// The canonical line's fact values, by position: a string's quotes included, or `null`.
const F = {
  EMAIL: 0,
  PHONE: 1,
  EMAIL_STATE: 2,
  SMS_STATE: 3,
  COUNTRY: 4,
  PROVINCE: 5,
  TIME_ZONE: 6,
} as const;

const GENERAL_FACTS = {
  email: S.email,
  phone: S.phone,
  emailState: S.emailState,
  smsState: S.smsState,
  country: S.countryV2,
  province: S.province,
  timeZone: S.timeZone,
};
const CANONICAL_FACTS = {
  email: F.EMAIL,
  phone: F.PHONE,
  emailState: F.EMAIL_STATE,
  smsState: F.SMS_STATE,
  country: F.COUNTRY,
  province: F.PROVINCE,
  timeZone: F.TIME_ZONE,
};

const isStringOrNothing = (kind: number): boolean =>
  kind === KIND.STRING || kind === KIND.NULL || kind === KIND.ABSENT;

export class CustomerFactsReader extends CanonicalScanner {
  id = 0;
  /** Lines that were not in the canonical shape (read by FieldReader or left to the caller). */
  otherShapes = 0;
  private fromGeneral = false;
  private readonly from = new Int32Array(7);
  private readonly to = new Int32Array(7);
  private readonly escapedAt = new Uint8Array(7);
  private readonly general = new FieldReader(SPEC);

  /** Reads buf[start, end), one line without its "\n". */
  read(buf: Uint8Array, start: number, end: number): ReadResult {
    if (end > start && buf[end - 1] === 0x0d) end--;
    this.begin(buf, end);
    this.fromGeneral = false;
    if (this.canonical(start)) return READ.ROW;
    this.fromGeneral = true;
    this.otherShapes++;
    return this.anyShape(buf, start, end);
  }

  /** The facts of the last ROW, as parseCustomerFacts gives them. */
  facts(): CustomerFacts {
    const r = this.general;
    const get = this.fromGeneral ? (slot: number) => r.string(slot) ?? null : (f: number) => this.value(f);
    const at = this.fromGeneral ? GENERAL_FACTS : CANONICAL_FACTS;
    return {
      id: BigInt(this.id),
      email: get(at.email),
      phone: get(at.phone),
      emailMarketingState: get(at.emailState),
      smsMarketingState: get(at.smsState),
      countryCode: get(at.country) ?? (this.fromGeneral ? get(S.country) : null),
      provinceCode: get(at.province),
      timeZone: get(at.timeZone),
    };
  }

  private value(f: number): string | null {
    const from = this.from[f]!;
    if (from < 0 || this.buf[from] !== 0x22) return null;
    return jsonString(this.buf, from + 1, this.to[f]! - 1, this.escapedAt[f] === 1);
  }

  // p at a string or null that is fact f; the index after it, or -1.
  private fact(p: number, f: number): number {
    this.from[f] = p;
    const q = this.stringOrNull(p);
    this.to[f] = q;
    this.escapedAt[f] = this.escaped ? 1 : 0;
    return q;
  }

  // p at a consent: null, or its three members with the state (fact f) a string.
  private consent(p: number, f: number): number {
    if (p < 0 || p >= this.limit) return -1;
    if (this.buf[p] === 0x6e) {
      this.from[f] = -1;
      return this.null(p);
    }
    p = this.lit(p, STATE);
    if (p < 0 || this.buf[p] !== 0x22) return -1;
    p = this.fact(p, f);
    p = this.stringOrNull(this.lit(p, LEVEL));
    p = this.stringOrNull(this.lit(p, CONSENT_AT));
    return p >= 0 && p < this.limit && this.buf[p] === 0x7d ? p + 1 : -1;
  }

  private canonical(p: number): boolean {
    const buf = this.buf;
    p = this.lit(p, HEAD);
    const q = this.digits(p);
    if (q < 0) return false;
    this.id = this.digitValue;
    p = this.stringOrNull(this.lit(q, FIRST_NAME));
    p = this.stringOrNull(this.lit(p, LAST_NAME));
    p = this.fact(this.lit(p, EMAIL), F.EMAIL);
    p = this.fact(this.lit(p, PHONE), F.PHONE);
    p = this.stringOrNull(this.lit(p, CREATED));
    p = this.stringOrNull(this.lit(p, UPDATED));
    p = this.stringOrNull(this.lit(p, LOCALE));
    p = this.strings(this.lit(p, TAGS));
    p = this.consent(this.lit(p, EMAIL_CONSENT), F.EMAIL_STATE);
    p = this.consent(this.lit(p, SMS_CONSENT), F.SMS_STATE);
    p = this.lit(p, ADDRESS);
    if (p < 0 || p >= this.limit) return false;
    if (buf[p] === 0x6e) {
      this.from[F.COUNTRY] = this.from[F.PROVINCE] = this.from[F.TIME_ZONE] = -1;
      p = this.null(p);
    } else {
      p = this.fact(this.lit(p, COUNTRY), F.COUNTRY);
      p = this.fact(this.lit(p, PROVINCE), F.PROVINCE);
      p = this.fact(this.lit(p, TIME_ZONE), F.TIME_ZONE);
      if (p < 0 || buf[p] !== 0x7d) return false;
      p++;
    }
    p = this.lit(p, STATISTICS);
    if (p < 0 || p >= this.limit) return false;
    if (buf[p] === 0x6e) p = this.null(p);
    else {
      p = this.stringOrNull(this.lit(p, RFM_GROUP));
      if (p < 0 || buf[p] !== 0x7d) return false;
      p++;
    }
    return p >= 0 && p + 1 === this.limit && buf[p] === 0x7d;
  }

  // Any key order, escapes, whitespace, extra fields: a row when parseCustomerFacts would give one.
  private anyShape(buf: Uint8Array, start: number, end: number): ReadResult {
    const r = this.general;
    if (r.read(buf, start, end) !== LINE.OBJECT) return READ.OTHER;
    const kind = r.kind;
    if (kind[S.parentId] !== KIND.ABSENT) return READ.CHILD;
    this.id = r.idAfter(S.id, CUSTOMER_PREFIX);
    if (this.id < 0 || !isStringOrNothing(kind[S.email]!) || !isStringOrNothing(kind[S.phone]!))
      return READ.OTHER;
    for (const [object, state] of [
      [S.emailConsent, S.emailState],
      [S.smsConsent, S.smsState],
    ] as const) {
      const k = kind[object];
      if (k !== KIND.NULL && k !== KIND.ABSENT && (k !== KIND.OBJECT || kind[state] !== KIND.STRING))
        return READ.OTHER;
    }
    const address = kind[S.address];
    if (address === KIND.NULL || address === KIND.ABSENT) return READ.ROW;
    if (address !== KIND.OBJECT) return READ.OTHER;
    for (const field of [S.countryV2, S.country, S.province, S.timeZone])
      if (!isStringOrNothing(kind[field]!)) return READ.OTHER;
    return READ.ROW;
  }
}
