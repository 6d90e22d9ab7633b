import { promises as dnsPromises, type LookupAddress, type LookupOptions } from "node:dns";
import { connect as netConnect, isIP, type LookupFunction, type Socket } from "node:net";
import { classifyAddress, isIpLiteral, type BlockedKind, type NetworkPolicy } from "./destination";

// The channels' only way onto the network: a host is resolved once, every address it resolves to
// is checked (destination.ts), and the connection goes to a checked address — the `lookup` below
// hands node exactly what was checked, so a DNS answer that changes between a check and the
// connection (rebinding) never reaches an unchecked address. IP literals skip node's lookup, so
// they are checked before connecting.

export class BlockedDestinationError extends Error {
  readonly code = "EDESTINATION";
  constructor(
    readonly host: string,
    readonly kind: BlockedKind,
  ) {
    super(`${host} is a ${kind} address, which the app never connects to`);
    this.name = "BlockedDestinationError";
  }
}

export type ResolveAll = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolve: ResolveAll = (hostname) =>
  dnsPromises.lookup(hostname, { all: true, verbatim: true });

const bare = (host: string) => host.replace(/^\[|\]$/g, "");

/** The host's addresses, every one allowed by the policy; throws BlockedDestinationError otherwise. */
export async function resolveChecked(
  host: string,
  policy: NetworkPolicy,
  resolve: ResolveAll = systemResolve,
): Promise<LookupAddress[]> {
  const name = bare(host);
  const addresses = isIpLiteral(name) ? [{ address: name, family: isIP(name) || 6 }] : await resolve(name);
  if (!policy.allowPrivate)
    for (const { address } of addresses) {
      const verdict = classifyAddress(address);
      if (!verdict.allowed) throw new BlockedDestinationError(host, verdict.kind);
    }
  return addresses;
}

/** Throws when the host is an IP address the policy refuses (node connects to those unresolved). */
export function checkLiteral(host: string, policy: NetworkPolicy): void {
  const name = bare(host);
  if (policy.allowPrivate || !isIpLiteral(name)) return;
  const verdict = classifyAddress(name);
  if (!verdict.allowed) throw new BlockedDestinationError(host, verdict.kind);
}

const familyOf = (options: LookupOptions): number =>
  options.family === 4 || options.family === "IPv4"
    ? 4
    : options.family === 6 || options.family === "IPv6"
      ? 6
      : 0;

/** A `lookup` for net, tls, http and https that resolves, checks, and returns only checked addresses. */
export function guardedLookup(policy: NetworkPolicy, resolve: ResolveAll = systemResolve): LookupFunction {
  return (hostname, options, callback) => {
    resolveChecked(hostname, policy, resolve).then(
      (addresses) => {
        const family = familyOf(options);
        const usable = family ? addresses.filter((a) => a.family === family) : addresses;
        const first = usable[0];
        if (!first) {
          const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
          error.code = "ENOTFOUND";
          callback(error, "", 0);
        } else if (options.all) callback(null, usable);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, "", 0),
    );
  };
}

/** A TCP connection to a checked address of host:port, for nodemailer's `getSocket`. */
export function connectChecked(
  host: string,
  port: number,
  policy: NetworkPolicy,
  timeoutMs: number,
  resolveHost: ResolveAll = systemResolve,
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    try {
      checkLiteral(host, policy);
    } catch (error) {
      reject(error);
      return;
    }
    const socket = netConnect({ host: bare(host), port, lookup: guardedLookup(policy, resolveHost) });
    const timer = setTimeout(() => {
      const error: NodeJS.ErrnoException = new Error(`connect ETIMEDOUT ${host}:${port}`);
      error.code = "ETIMEDOUT";
      socket.destroy(error);
    }, timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.removeListener("error", reject);
      resolve(socket);
    });
    socket.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
