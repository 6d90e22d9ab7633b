import { iso31662 } from "iso-3166";

// The regions a merchant may give stricter SMS hours: ISO 3166-2 subdivisions ("US-FL", "CA-QC"),
// from the iso-3166 package's list (all of them, about 5,000), so a typo like "US-FLA" or a made-up
// "XX-ZZZ" is refused by name instead of silently matching no customer. Pure.

const SUBDIVISIONS: ReadonlySet<string> = new Set(iso31662.map((subdivision) => subdivision.code));

export function isKnownRegion(key: string): boolean {
  return SUBDIVISIONS.has(key);
}

/** Why a region key is refused, naming it. */
export function unknownRegionMessage(key: string): string {
  return `${key} is not a known state or province: use its ISO 3166-2 code, like "US-FL"`;
}
