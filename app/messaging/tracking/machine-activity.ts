import { isbot } from "isbot";

// Tells a person's open or click from a machine's, so open and click rates count people. Pure.
// Each rule is one line with its reason; the first rule that matches names the reason.

export type MachineReason = "apple_mpp" | "prefetch" | "too_soon" | "scanner" | "head_request";
export type Activity = { machine: false; reason: null } | { machine: true; reason: MachineReason };

export interface OpenRequest {
  userAgent: string | null;
  ip: string | null;
  secondsSinceDelivery: number | null;
}
export interface ClickRequest extends OpenRequest {
  /** the HTTP method of the request to the tracked link ("GET", "HEAD", …) */
  method: string;
}

/** No person opens or clicks within this many seconds of the message reaching the mailbox. */
export const TOO_SOON_SECONDS = 2;

const HUMAN: Activity = { machine: false, reason: null };
const machine = (reason: MachineReason): Activity => ({ machine: true, reason });

// Apple Mail Privacy Protection fetches every image on delivery with exactly this user agent.
const APPLE_MPP_UA = /^mozilla\/5\.0$/i;
// 17.0.0.0/8 is Apple's own network, where its mail proxies fetch from.
const APPLE_RANGES: readonly Ipv4Range[] = [ipv4Cidr("17.0.0.0/8")];

// Gmail and Yahoo Mail load a message's images through their proxy when the person opens it.
const MAIL_IMAGE_PROXY = /GoogleImageProxy|ggpht\.com|YahooMailProxy/i;

const SCANNERS: readonly RegExp[] = [
  /BingPreview/i, // Microsoft Defender Safe Links opens every link under this name
  /Barracuda/i, // Barracuda's gateway follows links and images as mail arrives
  /Mimecast/i, // Mimecast URL Protect checks links before they are delivered
  /Proofpoint/i, // Proofpoint URL Defense rewrites and checks every link
  /Zscaler/i, // Zscaler's cloud sandbox follows links on behalf of a company
  /python-requests\//i, // a script, never a mail client or browser
  /(?:^|[^a-z])curl\//i, // a script, never a mail client or browser
  /Go-http-client\//i, // a script, never a mail client or browser
];

const LINK_PREVIEWERS: readonly RegExp[] = [
  /facebookexternalhit|Facebot|Twitterbot/i, // iMessage (under these names) and Facebook draw link previews
  /WhatsApp/i, // WhatsApp fetches a pasted or received link for its preview
  /Slackbot|TelegramBot|Discordbot|SkypeUriPreview/i, // chat apps unfurl links when a message is shared
  /YahooMailProxy|GoogleImageProxy/i, // a mail provider fetching a link is not the reader clicking it
];

const matchesAny = (ua: string, patterns: readonly RegExp[]) => patterns.some((p) => p.test(ua));
const tooSoon = (seconds: number | null) =>
  seconds !== null && Number.isFinite(seconds) && seconds <= TOO_SOON_SECONDS;

/** An email open (the tracking pixel fetched): a person, or which machine. */
export function classifyOpen(open: OpenRequest): Activity {
  const userAgent = (open.userAgent ?? "").trim();
  const soon = tooSoon(open.secondsSinceDelivery);
  // MPP loads the pixel whether or not the message is ever read
  if (inIpv4Ranges(open.ip, APPLE_RANGES)) return machine("apple_mpp");
  if (APPLE_MPP_UA.test(userAgent)) return machine("apple_mpp");
  // every mail client and browser sends a user agent with an image request; a script need not
  if (userAgent === "") return machine("scanner");
  if (matchesAny(userAgent, SCANNERS)) return machine("scanner");
  // checked before isbot, which counts both proxies as bots
  if (MAIL_IMAGE_PROXY.test(userAgent)) return soon ? machine("too_soon") : HUMAN;
  if (matchesAny(userAgent, LINK_PREVIEWERS)) return machine("prefetch");
  if (isbot(userAgent)) return machine("scanner");
  if (soon) return machine("too_soon");
  return HUMAN;
}

/**
 * A click on a tracked link: a person, or which machine. Apple's proxies do not follow links, so
 * a click is never "apple_mpp" (its bare user agent on a link is a scanner, by isbot).
 */
export function classifyClick(click: ClickRequest): Activity {
  const method = click.method.trim().toUpperCase();
  // link checkers ask whether the page exists without loading it; a browser following a link GETs
  if (method === "HEAD") return machine("head_request");
  if (method !== "GET") return machine("scanner");
  const userAgent = (click.userAgent ?? "").trim();
  // every browser sends a user agent; a scanner or script that sends none is still a scanner
  if (userAgent === "") return machine("scanner");
  if (matchesAny(userAgent, SCANNERS)) return machine("scanner");
  if (matchesAny(userAgent, LINK_PREVIEWERS)) return machine("prefetch");
  if (isbot(userAgent)) return machine("scanner");
  if (tooSoon(click.secondsSinceDelivery)) return machine("too_soon");
  return HUMAN;
}

export interface Ipv4Range {
  /** the network address as an unsigned 32-bit number */
  base: number;
  /** prefix length, 0–32 */
  bits: number;
}

/**
 * A dotted-quad IPv4 address as an unsigned 32-bit number, or null. An IPv4-mapped IPv6 address
 * (::ffff:a.b.c.d, how a dual-stack Node server reports an IPv4 client) is that IPv4 address;
 * any other IPv6 address is null. Octets with leading zeros are refused: some parsers read them
 * as octal.
 */
export function parseIpv4(ip: string): number | null {
  const address = ip.trim().replace(/^::ffff:/i, "");
  const parts = address.split(".");
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^(?:0|[1-9]\d{0,2})$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

/** "a.b.c.d/n" as a range; throws on anything else (ranges are constants written here). */
export function ipv4Cidr(cidr: string): Ipv4Range {
  const [address = "", bits = "", ...rest] = cidr.split("/");
  const base = parseIpv4(address);
  if (base === null || rest.length > 0 || !/^(?:\d|[12]\d|3[0-2])$/.test(bits)) {
    throw new Error(`not an IPv4 CIDR range: ${cidr}`);
  }
  return { base, bits: Number(bits) };
}

/** Whether an IPv4 address lies in one of the ranges (an IPv6 or unreadable address never does). */
export function inIpv4Ranges(ip: string | null, ranges: readonly Ipv4Range[]): boolean {
  if (ip === null) return false;
  const address = parseIpv4(ip);
  if (address === null) return false;
  return ranges.some(({ base, bits }) => {
    // JavaScript shifts are 32-bit and mod 32, so /0 is handled apart
    if (bits === 0) return true;
    const mask = 0xffffffff << (32 - bits);
    return (address & mask) === (base & mask);
  });
}
