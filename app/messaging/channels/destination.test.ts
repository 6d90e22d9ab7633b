import { BlockList, isIP } from "node:net";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyAddress, parseIPv6, twilioBaseUrlProblem, type NetworkPolicy } from "./destination";

// The oracle for arbitrary addresses is node's own BlockList (its own parser and matcher), loaded
// with the ranges as RFC 6890 and the clouds' documentation give them; the cases below are worked
// by hand.
const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  blocked.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["100::", 64],
  ["2001::", 32],
  ["2001:db8::", 32],
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
] as const)
  blocked.addSubnet(net, prefix, "ipv6");

const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((parts) => parts.join("."));
const group = fc.nat(0xffff).map((n) => n.toString(16));
const v6 = fc.array(group, { minLength: 8, maxLength: 8 }).map((groups) => groups.join(":"));

describe("classifyAddress", () => {
  it("refuses loopback, private, CGNAT, link-local, metadata, unspecified, multicast and reserved addresses", () => {
    const cases: Array<[string, string | true]> = [
      ["127.0.0.1", "loopback"],
      ["127.255.255.254", "loopback"],
      ["10.20.30.40", "private"],
      ["172.16.0.1", "private"],
      ["172.31.255.255", "private"],
      ["172.32.0.1", true],
      ["192.168.1.1", "private"],
      ["100.64.0.1", "carrier-grade NAT"],
      ["100.127.255.255", "carrier-grade NAT"],
      ["100.128.0.1", true],
      ["169.254.169.254", "cloud metadata"],
      ["169.254.1.1", "link-local"],
      ["100.100.100.200", "cloud metadata"],
      ["0.0.0.0", "unspecified"],
      ["224.0.0.251", "multicast"],
      ["255.255.255.255", "reserved"],
      ["8.8.8.8", true],
      ["::1", "loopback"],
      ["::", "unspecified"],
      ["fd00:ec2::254", "cloud metadata"],
      ["fd12:3456::1", "unique local"],
      ["fe80::1%eth0", "link-local"],
      ["ff02::1", "multicast"],
      ["::ffff:127.0.0.1", "loopback"],
      ["::ffff:7f00:1", "loopback"],
      ["::ffff:169.254.169.254", "cloud metadata"],
      ["::ffff:10.0.0.1", "private"],
      ["[::ffff:192.168.0.1]", "private"],
      ["64:ff9b::10.0.0.1", "private"],
      ["2002:7f00:1::", "loopback"], // 6to4 of 127.0.0.1
      ["::ffff:8.8.8.8", true],
      ["2606:4700:4700::1111", true],
      ["not an address", "reserved"],
      ["1.2.3", "reserved"],
    ];
    for (const [ip, expected] of cases)
      expect([ip, classifyAddress(ip)]).toEqual([
        ip,
        expected === true ? { allowed: true } : { allowed: false, kind: expected },
      ]);
  });

  it("agrees with node's BlockList on every IPv4 address, and on the same address mapped into IPv6", () => {
    fc.assert(
      fc.property(v4, (ip) => {
        const refused = blocked.check(ip, "ipv4");
        expect(classifyAddress(ip).allowed).toBe(!refused);
        expect(classifyAddress(`::ffff:${ip}`).allowed).toBe(!refused);
      }),
      { numRuns: 5000 },
    );
  });

  it("agrees with node's BlockList on IPv6 addresses outside the IPv4-carrying ranges", () => {
    fc.assert(
      fc.property(
        v6,
        fc.constantFrom("", "fe80:", "fc00:", "ff00:", "2001:db8:", "100:0:0:0:"),
        (ip, prefix) => {
          const address = prefix
            ? `${prefix}${ip
                .split(":")
                .slice(prefix.split(":").length - 1)
                .join(":")}`
            : ip;
          if (isIP(address) !== 6) return;
          const carries = /^(0:){5}(0|ffff):|^64:ff9b:(0:){4}|^2002:/.test(address);
          if (carries) return;
          expect(classifyAddress(address).allowed).toBe(!blocked.check(address, "ipv6"));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it("reads IPv6 text as node does", () => {
    fc.assert(
      fc.property(v6, fc.nat(7), fc.nat(7), (full, from, length) => {
        const groups = full.split(":");
        const start = Math.min(from, 7);
        const end = Math.min(8, start + length + 1);
        const zeroed = groups.map((g, i) => (i >= start && i < end ? "0" : g));
        const compressed = `${zeroed.slice(0, start).join(":")}::${zeroed.slice(end).join(":")}`;
        if (isIP(compressed) !== 6) return;
        expect(parseIPv6(compressed)).toBe(parseIPv6(zeroed.join(":")));
      }),
    );
  });
});

describe("twilioBaseUrlProblem", () => {
  const production: NetworkPolicy = { allowPrivate: false, twilioApiOnly: true };
  const development: NetworkPolicy = { allowPrivate: false, twilioApiOnly: false };
  it("takes only Twilio's own API in production", () => {
    expect(twilioBaseUrlProblem("https://api.twilio.com", production)).toBeUndefined();
    expect(twilioBaseUrlProblem("https://api.twilio.com/", production)).toBeUndefined();
    for (const url of [
      "http://api.twilio.com",
      "https://api.twilio.com.evil.example",
      "https://user:pw@api.twilio.com",
      "https://api.twilio.com:8443",
      "https://api.twilio.com/proxy",
      "https://proxy.example.com",
    ])
      expect(twilioBaseUrlProblem(url, production)).toBe("must be https://api.twilio.com");
    expect(twilioBaseUrlProblem("https://proxy.example.com", development)).toBeUndefined();
  });
});
