import type { AudienceCustomer } from "../audience";

// What planning needs of each customer, next to the segments CLI's CustomerTable (same slots), in
// typed arrays: consent states, country, province and zone as codes of interned strings (a few
// hundred distinct values for a million customers), email and phone as presence bits. The
// addresses themselves are never held: eligibility only asks whether there is one.

/** Strings ↔ small codes; code 0 is null. */
export class Interned {
  private readonly codes = new Map<string, number>();
  readonly values: Array<string | null> = [null];

  code(value: string | null): number {
    if (value === null) return 0;
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(value);
      this.codes.set(value, code);
    }
    return code;
  }

  value(code: number): string | null {
    return this.values[code] ?? null;
  }
}

export interface AudienceFields {
  email: string | null;
  phone: string | null;
  emailMarketingState: string | null;
  smsMarketingState: string | null;
  countryCode: string | null;
  provinceCode: string | null;
  timeZone: string | null | undefined;
}

const EMAIL = 1;
const PHONE = 2;
/** Stands for an address that is there: eligibility checks presence (non-blank), never the value. */
const PRESENT = "(present)";
const present = (v: string | null): boolean => v !== null && v.trim() !== "";

export class AudienceTable {
  size = 0;
  readonly states = new Interned();
  readonly regions = new Interned();
  readonly zones = new Interned();
  flags = new Uint8Array(1024);
  emailState = new Uint32Array(1024);
  smsState = new Uint32Array(1024);
  country = new Uint32Array(1024);
  province = new Uint32Array(1024);
  zone = new Uint32Array(1024);

  /** Appends the next slot (the CustomerTable's slot of the same customer). */
  push(c: AudienceFields): void {
    if (this.size === this.flags.length) this.grow();
    const i = this.size++;
    this.flags[i] = (present(c.email) ? EMAIL : 0) | (present(c.phone) ? PHONE : 0);
    this.emailState[i] = this.states.code(c.emailMarketingState);
    this.smsState[i] = this.states.code(c.smsMarketingState);
    this.country[i] = this.regions.code(c.countryCode);
    this.province[i] = this.regions.code(c.provinceCode);
    this.zone[i] = this.zones.code(c.timeZone ?? null);
  }

  customer(slot: number, id: string, segment: string): AudienceCustomer {
    const flags = this.flags[slot] ?? 0;
    return {
      id,
      segment,
      email: flags & EMAIL ? PRESENT : null,
      phone: flags & PHONE ? PRESENT : null,
      emailMarketingState: this.states.value(this.emailState[slot] ?? 0),
      smsMarketingState: this.states.value(this.smsState[slot] ?? 0),
      countryCode: this.regions.value(this.country[slot] ?? 0),
      provinceCode: this.regions.value(this.province[slot] ?? 0),
      timeZone: this.zones.value(this.zone[slot] ?? 0),
    };
  }

  private grow(): void {
    const n = this.flags.length * 2;
    const u32 = (from: Uint32Array): Uint32Array => {
      const to = new Uint32Array(n);
      to.set(from);
      return to;
    };
    const flags = new Uint8Array(n);
    flags.set(this.flags);
    this.flags = flags;
    this.emailState = u32(this.emailState);
    this.smsState = u32(this.smsState);
    this.country = u32(this.country);
    this.province = u32(this.province);
    this.zone = u32(this.zone);
  }
}
