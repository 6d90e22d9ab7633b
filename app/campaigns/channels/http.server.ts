import type { z } from "zod";
import { errorField, sanitizeReason } from "./classify";
import type { ConnectionProblem, SendResult } from "./types";

// One HTTP call for the HTTP channels: global fetch (undici keeps connections alive per origin),
// a deadline covering connect, headers and body, and a bounded read of the answer so a
// misbehaving endpoint cannot make us buffer megabytes.

const MAX_BODY_BYTES = 16 * 1024;

export type NetworkProblem = Extract<ConnectionProblem, "timeout" | "refused" | "dns" | "tls" | "network">;

export type HttpOutcome =
  | { kind: "response"; status: number; headers: Headers; text: string }
  | { kind: "network"; problem: NetworkProblem; detail: string };

export async function httpCall(url: string, init: RequestInit, timeoutMs: number): Promise<HttpOutcome> {
  try {
    // Redirects are not followed: a POST must not turn into a GET, nor wander to another host.
    const response = await fetch(url, {
      ...init,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await readBounded(response);
    return { kind: "response", status: response.status, headers: response.headers, text };
  } catch (error) {
    return { kind: "network", ...networkProblem(error, timeoutMs) };
  }
}

async function readBounded(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString("utf8");
}

// A DOMException's `code` is a number and undici's `cause` may be anything: read field by field.
function field(value: unknown, key: string): string | undefined {
  const found = errorField(value, key);
  return typeof found === "string" && found !== "" ? found : undefined;
}

function networkProblem(error: unknown, timeoutMs: number): { problem: NetworkProblem; detail: string } {
  const name = field(error, "name");
  if (name === "TimeoutError" || name === "AbortError")
    return { problem: "timeout", detail: `no answer within ${timeoutMs} ms` };
  const cause = errorField(error, "cause");
  const code = field(cause, "code") ?? field(error, "code") ?? "";
  const detail = `${code || name || "error"}: ${field(cause, "message") ?? field(error, "message") ?? String(error)}`;
  if (code === "ECONNREFUSED") return { problem: "refused", detail };
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME")
    return { problem: "dns", detail };
  if (code === "UND_ERR_CONNECT_TIMEOUT" || code === "ETIMEDOUT" || code === "UND_ERR_HEADERS_TIMEOUT")
    return { problem: "timeout", detail };
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return { problem: "tls", detail };
  return { problem: "network", detail };
}

/** Nothing came back: the provider may or may not have the message, so try again with the same key. */
export function networkRetry(outcome: Extract<HttpOutcome, { kind: "network" }>): SendResult {
  return { status: "retry", reason: sanitizeReason(`${outcome.problem}: ${outcome.detail}`) };
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
      return `No answer from ${where} in time (${sanitizeReason(outcome.detail)}).`;
    case "tls":
      return `The TLS connection to ${where} failed (${sanitizeReason(outcome.detail)}).`;
    case "network":
      return `Could not reach ${where} (${sanitizeReason(outcome.detail)}).`;
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
