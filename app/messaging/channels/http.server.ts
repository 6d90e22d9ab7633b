import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { z } from "zod";
import type { NetworkPolicy } from "./destination";
import { BlockedDestinationError, checkLiteral, guardedLookup, type ResolveAll } from "./network.server";
import { errorField } from "./classify";
import { connectionReason, isTlsErrorCode } from "./failure-reason";
import type { ConnectionProblem, SendResult } from "./types";

// The HTTP channels' calls: node's http/https with keep-alive agents whose `lookup` checks every
// address before connecting (network.server.ts), a deadline covering connect, headers and body, and
// a bounded read of the answer so a misbehaving endpoint cannot make us buffer megabytes. Redirects
// are not followed: a POST must not turn into a GET, nor wander to another host.

const MAX_BODY_BYTES = 16 * 1024;

export type NetworkProblem = Extract<
  ConnectionProblem,
  "timeout" | "refused" | "dns" | "tls" | "network" | "destination"
>;

export type HttpOutcome =
  | { kind: "response"; status: number; headers: Headers; text: string }
  /** `reason`: classified (failure-reason.ts), never the error's own text */
  | { kind: "network"; problem: NetworkProblem; reason: string };

export interface HttpRequest {
  method?: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
}

export interface HttpClient {
  call(url: string, request: HttpRequest, timeoutMs: number): Promise<HttpOutcome>;
  /** closes kept-alive connections */
  close(): void;
}

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const one of value) headers.append(name, one);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

export function createHttpClient(
  policy: NetworkPolicy,
  maxSockets: number,
  resolve?: ResolveAll,
): HttpClient {
  const lookup = guardedLookup(policy, resolve);
  const agents = {
    http: new HttpAgent({ keepAlive: true, maxSockets, lookup }),
    https: new HttpsAgent({ keepAlive: true, maxSockets, lookup }),
  };
  const call = (url: string, request: HttpRequest, timeoutMs: number): Promise<HttpOutcome> => {
    let target: URL;
    try {
      target = new URL(url);
      checkLiteral(target.hostname, policy);
    } catch (error) {
      return Promise.resolve({ kind: "network", ...networkProblem(error, timeoutMs) });
    }
    const secure = target.protocol === "https:";
    const headers: Record<string, string | number> = { ...request.headers };
    if (request.body !== undefined) headers["Content-Length"] = Buffer.byteLength(request.body);
    return new Promise<HttpOutcome>((resolve) => {
      let settled = false;
      const done = (outcome: HttpOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const send = secure ? httpsRequest : httpRequest;
      const req = send(
        target,
        { method: request.method ?? "GET", headers, agent: secure ? agents.https : agents.http },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          const finish = () =>
            done({
              kind: "response",
              status: res.statusCode ?? 0,
              headers: toHeaders(res.headers),
              text: Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString("utf8"),
            });
          res.on("data", (chunk: Buffer) => {
            chunks.push(chunk);
            size += chunk.byteLength;
            if (size >= MAX_BODY_BYTES) {
              res.destroy();
              finish();
            }
          });
          res.on("end", finish);
          res.on("close", finish);
        },
      );
      const timer = setTimeout(() => {
        req.destroy();
        done({
          kind: "network",
          problem: "timeout",
          reason: connectionReason("timeout", undefined, { timeoutMs }),
        });
      }, timeoutMs);
      req.on("error", (error) => done({ kind: "network", ...networkProblem(error, timeoutMs) }));
      req.end(request.body);
    });
  };
  return {
    call,
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

// A DOMException's `code` is a number and undici's `cause` may be anything: read field by field.
function field(value: unknown, key: string): string | undefined {
  const found = errorField(value, key);
  return typeof found === "string" && found !== "" ? found : undefined;
}

function networkProblem(error: unknown, timeoutMs: number): { problem: NetworkProblem; reason: string } {
  if (error instanceof BlockedDestinationError) return { problem: "destination", reason: error.message };
  const name = field(error, "name");
  if (name === "TimeoutError" || name === "AbortError")
    return { problem: "timeout", reason: connectionReason("timeout", undefined, { timeoutMs }) };
  const cause = errorField(error, "cause");
  const code = field(cause, "code") ?? field(error, "code");
  const message = field(cause, "message") ?? field(error, "message") ?? "";
  const problem: Exclude<NetworkProblem, "destination"> =
    code === "ECONNREFUSED"
      ? "refused"
      : code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME"
        ? "dns"
        : code === "UND_ERR_CONNECT_TIMEOUT" || code === "ETIMEDOUT" || code === "UND_ERR_HEADERS_TIMEOUT"
          ? "timeout"
          : isTlsErrorCode(code)
            ? "tls"
            : "network";
  return { problem, reason: connectionReason(problem, code, { message }) };
}

/**
 * Nothing came back: the provider may or may not have the message, so try again with the same key.
 * An address the app never connects to is final: nothing was sent, and trying again would not help.
 */
export function networkResult(outcome: Extract<HttpOutcome, { kind: "network" }>): SendResult {
  const { reason } = outcome;
  return outcome.problem === "destination" ? { status: "failed", reason } : { status: "retry", reason };
}

export function describeNetworkProblem(
  outcome: Extract<HttpOutcome, { kind: "network" }>,
  url: string,
): string {
  const where = (() => {
    try {
      return new URL(url).host;
    } catch {
      return "the endpoint";
    }
  })();
  switch (outcome.problem) {
    case "dns":
      return `The host ${where} was not found (DNS).`;
    case "refused":
      return `Nothing accepts connections at ${where} (connection refused).`;
    case "timeout":
      return `No answer from ${where} in time (${outcome.reason}).`;
    case "tls":
      return `The TLS connection to ${where} failed (${outcome.reason}).`;
    case "network":
      return `Could not reach ${where} (${outcome.reason}).`;
    case "destination":
      return `Not connected: ${outcome.reason}. Use the provider's public host name.`;
  }
}

/** A provider's JSON answer checked against what we rely on; undefined when it is not that. */
export function parseJson<T>(text: string, schema: z.ZodType<T>): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
