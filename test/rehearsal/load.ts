import http from "node:http";
import type { TimedRequest } from "./deliveries";

// Posts each request at its own time (open loop: an answer's time counts from when the request was
// due, so a client that falls behind shows up as latency), over a bounded number of keep-alive
// connections to the app on loopback.

export interface Answer {
  webhookId: string;
  topic: string;
  dueMs: number;
  /** the last attempt's status; 0: no answer (connection refused, reset, timeout) */
  status: number;
  /** the first attempt's answer time from when it was due */
  ms: number;
  answeredAtMs: number;
  /** like Shopify, a delivery not answered 200 is posted again (same id and body) a few seconds later */
  attempts: number;
}

const RETRIES = 5;
const RETRY_AFTER_MS = 3_000;

export async function postTimed(
  requests: readonly TimedRequest[],
  o: { port: number; connections: number; timeoutMs: number; stopAtMs: number },
): Promise<Answer[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections, maxFreeSockets: o.connections });
  const answers: Answer[] = [];
  const pending: Promise<void>[] = [];
  let i = 0;
  while (i < requests.length && Date.now() < o.stopAtMs) {
    const now = Date.now();
    for (let r = requests[i]; r && r.atMs <= now; r = requests[++i]) {
      const request = r;
      pending.push(deliver(agent, o, request).then((a) => void answers.push(a)));
    }
    const next = requests[i];
    await new Promise((resolve) =>
      setTimeout(resolve, next ? Math.min(5, Math.max(0, next.atMs - Date.now())) : 0),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  return answers;
}

async function deliver(
  agent: http.Agent,
  o: { port: number; timeoutMs: number },
  r: TimedRequest,
): Promise<Answer> {
  const first = await post(agent, o, r);
  let last = first;
  let attempts = 1;
  while (last.status !== 200 && attempts < RETRIES) {
    await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_MS * attempts));
    last = await post(agent, o, r);
    attempts += 1;
  }
  return { ...first, status: last.status, attempts };
}

function post(agent: http.Agent, o: { port: number; timeoutMs: number }, r: TimedRequest): Promise<Answer> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (status: number) => {
      if (settled) return;
      settled = true;
      const answeredAtMs = Date.now();
      resolve({
        webhookId: r.webhookId,
        topic: r.topic,
        dueMs: r.atMs,
        status,
        ms: answeredAtMs - r.atMs,
        answeredAtMs,
        attempts: 1,
      });
    };
    const req = http.request(
      {
        host: "127.0.0.1",
        port: o.port,
        path: r.path,
        method: "POST",
        agent,
        headers: r.headers,
        timeout: o.timeoutMs,
      },
      (res) => {
        res.resume();
        res.on("end", () => done(res.statusCode ?? 0));
        res.on("error", () => done(0));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", () => done(0));
    req.end(r.body);
  });
}
