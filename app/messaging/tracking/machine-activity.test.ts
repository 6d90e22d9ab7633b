import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  classifyClick,
  classifyOpen,
  inIpv4Ranges,
  ipv4Cidr,
  parseIpv4,
  type Activity,
  type MachineReason,
} from "./machine-activity";

// Real-world user agents, as their senders send them.
const UA = {
  gmailProxy: "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)",
  yahooProxy: "YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html",
  appleMpp: "Mozilla/5.0",
  appleMailMac: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)",
  iphoneMail:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
  outlookDesktop: "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17029; Pro)",
  outlookWordEngine:
    "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 10.0; WOW64; Trident/7.0; .NET4.0C; .NET4.0E; Microsoft Outlook 16.0.5173; ms-office; MSOffice 16)",
  iphoneSafari:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
  androidChrome:
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
  desktopEdge:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0",
  safeLinks: "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/534+ (KHTML, like Gecko) BingPreview/1.0b",
  proofpoint: "Mozilla/5.0 (compatible; Proofpoint URL Defense)",
  barracuda: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Barracuda Sentinel (EE)",
  zscaler: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Zscaler/1.0",
  curl: "curl/8.5.0",
  pythonRequests: "python-requests/2.31.0",
  goClient: "Go-http-client/1.1",
  imessagePreview:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0",
  slackUnfurl: "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
  whatsapp: "WhatsApp/2.23.20.0 A",
  googlebot: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
} as const;

const APPLE_IP = "17.58.101.50";
const RELAY_IP = "104.28.37.12"; // a Cloudflare address of the kind Private Relay egresses from
const HOME_IP = "203.0.113.9";
const GOOGLE_IP = "66.249.84.17";

const human: Activity = { machine: false, reason: null };
const bot = (reason: MachineReason): Activity => ({ machine: true, reason });

describe("classifyOpen", () => {
  const cases: [string, string | null, string | null, number | null, Activity][] = [
    // [what, user agent, ip, seconds since delivery, expected]
    ["Gmail proxy on open", UA.gmailProxy, GOOGLE_IP, 310, human],
    ["Gmail proxy without a delivery time", UA.gmailProxy, GOOGLE_IP, null, human],
    ["Gmail proxy a second after delivery", UA.gmailProxy, GOOGLE_IP, 1, bot("too_soon")],
    ["Yahoo proxy on open", UA.yahooProxy, "98.136.1.1", 45, human],
    ["Apple MPP from Apple's range", UA.appleMpp, APPLE_IP, 3, bot("apple_mpp")],
    ["Apple MPP from a relay address", UA.appleMpp, RELAY_IP, 900, bot("apple_mpp")],
    ["Apple MPP with stray spaces", " Mozilla/5.0 ", RELAY_IP, 900, bot("apple_mpp")],
    ["Apple MPP at delivery: the more telling reason", UA.appleMpp, APPLE_IP, 0, bot("apple_mpp")],
    ["no user agent from Apple's range", null, APPLE_IP, 600, bot("apple_mpp")],
    ["Apple's range behind a dual-stack socket", UA.appleMpp, "::ffff:17.1.2.3", 600, bot("apple_mpp")],
    ["Apple Mail on a Mac without MPP", UA.appleMailMac, HOME_IP, 120, human],
    ["iPhone Mail without MPP", UA.iphoneMail, HOME_IP, 120, human],
    ["Outlook desktop", UA.outlookDesktop, HOME_IP, 120, human],
    ["Outlook's Word engine", UA.outlookWordEngine, HOME_IP, 120, human],
    ["Outlook desktop a second after delivery", UA.outlookDesktop, HOME_IP, 1, bot("too_soon")],
    ["exactly two seconds after delivery", UA.outlookDesktop, HOME_IP, 2, bot("too_soon")],
    ["just over two seconds", UA.outlookDesktop, HOME_IP, 2.01, human],
    ["before the recorded delivery (clock skew)", UA.outlookDesktop, HOME_IP, -1, bot("too_soon")],
    ["no user agent", null, HOME_IP, 600, bot("scanner")],
    ["blank user agent", "  ", HOME_IP, 600, bot("scanner")],
    ["Barracuda fetching images", UA.barracuda, HOME_IP, 600, bot("scanner")],
    ["a script", UA.pythonRequests, HOME_IP, 600, bot("scanner")],
    ["a crawler", UA.googlebot, GOOGLE_IP, 600, bot("scanner")],
    ["an IPv6 address", UA.iphoneMail, "2620:149:a44::1", 600, human],
  ];
  it.each(cases)("%s", (_what, userAgent, ip, secondsSinceDelivery, expected) => {
    expect(classifyOpen({ userAgent, ip, secondsSinceDelivery })).toEqual(expected);
  });

  it("NaN seconds are unknown, not too soon", () => {
    expect(
      classifyOpen({ userAgent: UA.outlookDesktop, ip: null, secondsSinceDelivery: Number.NaN }),
    ).toEqual(human);
  });
});

describe("classifyClick", () => {
  const cases: [string, string, string | null, string | null, number | null, Activity][] = [
    // [what, method, user agent, ip, seconds since delivery, expected]
    ["iPhone Safari", "GET", UA.iphoneSafari, HOME_IP, 3600, human],
    ["Android Chrome", "GET", UA.androidChrome, HOME_IP, 3600, human],
    ["desktop Edge", "GET", UA.desktopEdge, HOME_IP, 3600, human],
    ["a lower-case method", "get", UA.androidChrome, HOME_IP, 3600, human],
    ["Safari through Private Relay", "GET", UA.iphoneSafari, RELAY_IP, 3600, human],
    ["a person on Apple's own network", "GET", UA.iphoneSafari, APPLE_IP, 3600, human],
    ["without a delivery time", "GET", UA.iphoneSafari, null, null, human],
    ["a link checker's HEAD", "HEAD", UA.iphoneSafari, HOME_IP, 3600, bot("head_request")],
    ["HEAD even from a scanner", "head", UA.curl, HOME_IP, 3600, bot("head_request")],
    ["a POST is not a link followed", "POST", UA.androidChrome, HOME_IP, 3600, bot("scanner")],
    ["OPTIONS", "OPTIONS", UA.androidChrome, HOME_IP, 3600, bot("scanner")],
    ["Defender Safe Links", "GET", UA.safeLinks, "40.94.1.1", 4, bot("scanner")],
    ["Proofpoint URL Defense", "GET", UA.proofpoint, HOME_IP, 30, bot("scanner")],
    ["Zscaler", "GET", UA.zscaler, HOME_IP, 30, bot("scanner")],
    ["curl", "GET", UA.curl, HOME_IP, 3600, bot("scanner")],
    ["Go", "GET", UA.goClient, HOME_IP, 3600, bot("scanner")],
    ["a crawler", "GET", UA.googlebot, GOOGLE_IP, 3600, bot("scanner")],
    ["no user agent", "GET", null, HOME_IP, 3600, bot("scanner")],
    ["empty user agent", "GET", "", HOME_IP, 3600, bot("scanner")],
    ["Apple's bare user agent on a link", "GET", UA.appleMpp, APPLE_IP, 3600, bot("scanner")],
    ["iMessage drawing an SMS link's preview", "GET", UA.imessagePreview, APPLE_IP, 5, bot("prefetch")],
    ["Slack unfurling a forwarded link", "GET", UA.slackUnfurl, HOME_IP, 3600, bot("prefetch")],
    ["WhatsApp preview", "GET", UA.whatsapp, HOME_IP, 3600, bot("prefetch")],
    ["Yahoo's proxy fetching a link", "GET", UA.yahooProxy, "98.136.1.1", 60, bot("prefetch")],
    ["Gmail's image proxy fetching a link", "GET", UA.gmailProxy, GOOGLE_IP, 60, bot("prefetch")],
    ["a browser within two seconds", "GET", UA.desktopEdge, HOME_IP, 1.5, bot("too_soon")],
    ["a browser at exactly two seconds", "GET", UA.desktopEdge, HOME_IP, 2, bot("too_soon")],
    ["a browser after two seconds", "GET", UA.desktopEdge, HOME_IP, 2.5, human],
  ];
  it.each(cases)("%s", (_what, method, userAgent, ip, secondsSinceDelivery, expected) => {
    expect(classifyClick({ method, userAgent, ip, secondsSinceDelivery })).toEqual(expected);
  });
});

describe("parseIpv4", () => {
  it.each([
    ["0.0.0.0", 0],
    ["17.0.0.0", 285_212_672], // 17 × 2^24
    ["17.1.2.3", 285_278_723], // 285212672 + 65536 + 512 + 3
    ["255.255.255.255", 4_294_967_295],
    [" 10.0.0.1 ", 167_772_161], // 10 × 2^24 + 1
    ["::ffff:17.1.2.3", 285_278_723],
    ["::FFFF:10.0.0.1", 167_772_161],
  ])("%s → %d", (ip, expected) => {
    expect(parseIpv4(ip)).toBe(expected);
  });

  it.each([
    "",
    "256.1.1.1",
    "1.2.3",
    "1.2.3.4.5",
    "017.1.1.1",
    "1.2.3.-4",
    "1e1.1.1.1",
    "a.b.c.d",
    "1..2.3",
    "::1",
    "2620:149:a44::1",
    "::ffff:1100:203",
  ])("refuses %j", (ip) => {
    expect(parseIpv4(ip)).toBeNull();
  });
});

describe("inIpv4Ranges", () => {
  const apple = [ipv4Cidr("17.0.0.0/8")];
  it.each([
    ["17.0.0.0", apple, true],
    ["17.255.255.255", apple, true],
    ["16.255.255.255", apple, false],
    ["18.0.0.0", apple, false],
    ["117.1.1.1", apple, false],
    ["192.168.1.255", [ipv4Cidr("192.168.1.0/24")], true],
    ["192.168.2.0", [ipv4Cidr("192.168.1.0/24")], false],
    ["10.0.0.7", [ipv4Cidr("10.0.0.7/32")], true],
    ["10.0.0.8", [ipv4Cidr("10.0.0.7/32")], false],
    ["203.0.113.9", [ipv4Cidr("0.0.0.0/0")], true],
    ["172.31.0.1", [ipv4Cidr("172.16.0.0/12")], true],
    ["172.32.0.1", [ipv4Cidr("172.16.0.0/12")], false],
    ["2620:149::1", [ipv4Cidr("0.0.0.0/0")], false],
    ["garbage", [ipv4Cidr("0.0.0.0/0")], false],
  ] as const)("%s", (ip, ranges, expected) => {
    expect(inIpv4Ranges(ip, ranges)).toBe(expected);
  });

  it("no address is in no range", () => {
    expect(inIpv4Ranges(null, apple)).toBe(false);
  });

  it("refuses malformed ranges", () => {
    for (const bad of ["17.0.0.0", "17.0.0.0/33", "17.0.0.0/8/1", "17.0.0/8", "17.0.0.0/", "17.0.0.0/08"]) {
      expect(() => ipv4Cidr(bad)).toThrow(/not an IPv4 CIDR/);
    }
  });

  it("agrees with comparing the leading octets (property)", () => {
    const octet = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(
        fc.tuple(octet, octet, octet, octet),
        fc.tuple(octet, octet, octet, octet),
        fc.constantFrom(0, 1, 2, 3, 4),
        (address, network, wholeOctets) => {
          // a whole-octet prefix: the first `wholeOctets` octets decide membership
          const expected = address.slice(0, wholeOctets).every((o, i) => o === network[i]);
          const range = ipv4Cidr(`${network.join(".")}/${wholeOctets * 8}`);
          expect(inIpv4Ranges(address.join("."), [range])).toBe(expected);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it("a plain IPv6 address never matches, not even 0.0.0.0/0 (property)", () => {
    const everything = [ipv4Cidr("0.0.0.0/0")];
    fc.assert(
      fc.property(
        fc.ipV6().filter((ip) => !/^::ffff:\d/i.test(ip)),
        (ip) => {
          expect(inIpv4Ranges(ip, everything)).toBe(false);
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
