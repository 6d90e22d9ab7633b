// Where a channel may connect. A merchant types the SMTP host, Twilio base URL and webhook URL, so
// without a check they could make the app talk to its own network (SSRF): the cloud metadata
// service, a database on localhost, an office LAN. Every address a host resolves to is checked
// before the connection is made to exactly that address (network.server.ts); this module decides,
// on IP addresses as text. Pure.

/** What the app may reach; built from the environment by network-policy.server.ts. */
export interface NetworkPolicy {
  /** loopback and private addresses allowed: only with the local emulator's sinks (demo, tests) */
  allowPrivate: boolean;
  /** Twilio only at https://api.twilio.com (production) */
  twilioApiOnly: boolean;
}

export const TWILIO_API_URL = "https://api.twilio.com";

export type BlockedKind =
  | "cloud metadata"
  | "loopback"
  | "private"
  | "carrier-grade NAT"
  | "link-local"
  | "unique local"
  | "unspecified"
  | "multicast"
  | "reserved";

export type AddressVerdict = { allowed: true } | { allowed: false; kind: BlockedKind };

interface Range {
  base: bigint;
  bits: number;
  kind: BlockedKind;
}

const V4: ReadonlyArray<[string, number, BlockedKind]> = [
  ["169.254.169.254", 32, "cloud metadata"], // AWS, GCP, Azure, OpenStack…
  ["100.100.100.200", 32, "cloud metadata"], // Alibaba
  ["192.0.0.192", 32, "cloud metadata"], // Oracle
  ["0.0.0.0", 8, "unspecified"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "carrier-grade NAT"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link-local"],
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "reserved"],
  ["192.0.2.0", 24, "reserved"],
  ["192.88.99.0", 24, "reserved"],
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "reserved"],
  ["198.51.100.0", 24, "reserved"],
  ["203.0.113.0", 24, "reserved"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"],
];

const V6: ReadonlyArray<[string, number, BlockedKind]> = [
  ["fd00:ec2::254", 128, "cloud metadata"], // AWS over IPv6
  ["::", 128, "unspecified"],
  ["::1", 128, "loopback"],
  ["100::", 64, "reserved"], // discard
  ["2001::", 32, "reserved"], // Teredo: an IPv4 address hides inside, obfuscated
  ["2001:db8::", 32, "reserved"],
  ["fc00::", 7, "unique local"],
  ["fe80::", 10, "link-local"],
  ["fec0::", 10, "private"], // site-local, deprecated
  ["ff00::", 8, "multicast"],
];

const range =
  (bitsTotal: number) =>
  ([text, bits, kind]: [string, number, BlockedKind]): Range => {
    const base = bitsTotal === 32 ? parseIPv4(text) : parseIPv6(text);
    if (base === undefined) throw new Error(`bad range ${text}`);
    return { base: base >> BigInt(bitsTotal - bits), bits, kind };
  };
const V4_RANGES = V4.map(range(32));
const V6_RANGES = V6.map(range(128));

/** 32-bit value of a dotted quad (four decimal parts 0–255, no leading zeros), else undefined. */
export function parseIPv4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^(?:0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

/** 128-bit value of an IPv6 address (with `::` and a trailing dotted quad), else undefined. */
export function parseIPv6(text: string): bigint | undefined {
  let address = text.replace(/%[^%]*$/, ""); // a zone (fe80::1%eth0) names an interface
  // A trailing dotted quad stands for the last two groups.
  const quad = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (quad) {
    const v4 = parseIPv4(quad[2] ?? "");
    if (v4 === undefined) return undefined;
    address = `${quad[1] ?? ""}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = address.split("::");
  if (halves.length > 2) return undefined;
  const split = (part: string) => (part === "" ? [] : part.split(":"));
  let groups = split(address);
  if (halves.length === 2) {
    const left = split(halves[0] ?? "");
    const right = split(halves[1] ?? "");
    const missing = 8 - left.length - right.length;
    if (missing < 1) return undefined;
    groups = [...left, ...Array<string>(missing).fill("0"), ...right];
  }
  if (groups.length !== 8) return undefined;
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(`0x${group}`);
  }
  return value;
}

const NAT64 = (parseIPv6("64:ff9b::") ?? 0n) >> 32n;

/** The IPv4 address an IPv6 one carries: mapped (::ffff:a.b.c.d), compatible, NAT64, 6to4. */
function embeddedIPv4(v6: bigint): bigint | undefined {
  const high = v6 >> 32n;
  if (high === 0xffffn || high === 0n || high === NAT64) return v6 & 0xffffffffn;
  if (v6 >> 112n === 0x2002n) return (v6 >> 80n) & 0xffffffffn;
  return undefined;
}

function match(value: bigint, width: number, ranges: readonly Range[]): AddressVerdict {
  for (const r of ranges)
    if (value >> BigInt(width - r.bits) === r.base) return { allowed: false, kind: r.kind };
  return { allowed: true };
}

/** Whether the app may connect to this IP address (text as DNS or a URL gives it). */
export function classifyAddress(ip: string): AddressVerdict {
  const v4 = parseIPv4(ip);
  if (v4 !== undefined) return match(v4, 32, V4_RANGES);
  const v6 = parseIPv6(ip.replace(/^\[|\]$/g, ""));
  if (v6 === undefined) return { allowed: false, kind: "reserved" }; // not an address: never connect
  const direct = match(v6, 128, V6_RANGES);
  if (!direct.allowed) return direct;
  const embedded = embeddedIPv4(v6);
  return embedded === undefined ? direct : match(embedded, 32, V4_RANGES);
}

/** Whether a host as typed is an IP address (v4, or v6 with or without brackets). */
export function isIpLiteral(host: string): boolean {
  return parseIPv4(host) !== undefined || parseIPv6(host.replace(/^\[|\]$/g, "")) !== undefined;
}

/** The merchant-facing sentence for a refused address. */
export function blockedMessage(kind: BlockedKind): string {
  return `points to a ${kind} address, which the app never connects to: use the provider's public host name`;
}

/** Why a Twilio base URL is refused under the policy (production: Twilio's own API only). */
export function twilioBaseUrlProblem(baseUrl: string, policy: NetworkPolicy): string | undefined {
  if (!policy.twilioApiOnly) return undefined;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return "is not a URL";
  }
  const bare =
    url.origin === TWILIO_API_URL &&
    (url.pathname === "/" || url.pathname === "") &&
    !url.search &&
    !url.username &&
    !url.password;
  return bare ? undefined : `must be ${TWILIO_API_URL}`;
}
