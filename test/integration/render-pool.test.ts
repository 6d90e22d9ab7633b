import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultTemplate } from "~/campaigns/lifecycle/campaign-templates";
import type { EmailTemplate } from "~/messaging/templates/message-template";
import { renderMessage } from "~/messaging/templates/render";
import { RenderPool } from "~/messaging/templates/render-pool.server";
import { sampleVariables } from "~/messaging/templates/samples";
import { worstLatencyDuring } from "../support/latency";

// Merchant templates render in worker threads: the same messages as in-process, a hard time limit
// that terminates the thread and names the part, and an event loop that stays free meanwhile.

/** A part that runs until liquidjs's own render limit (250 ms) stops it. */
const SLOW =
  "{% for a in (1..50) %}{% for b in (1..10000) %}{% assign c = b | times: a %}{% endfor %}{% endfor %}";
const slowEmail = (parts: { html?: boolean; text?: boolean }): EmailTemplate => ({
  channel: "email",
  subject: "Hi {{ customer.firstName }}",
  html: `${parts.html ? SLOW : ""}<p>Hi</p>{{ unsubscribeUrl }}`,
  text: `${parts.text ? SLOW : ""}Hi {{ unsubscribeUrl }}`,
});

/** worstLatencyDuring against a plain HTTP server on this thread's event loop. */
async function localLatencyDuring(work: () => Promise<unknown>) {
  const server: Server = createServer((_req, res) => res.end("ok"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  try {
    return await worstLatencyDuring(`http://127.0.0.1:${port}/`, work);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe("the render pool", () => {
  let pool: RenderPool;
  beforeAll(() => {
    pool = new RenderPool({ size: 2, timeLimitMs: 5_000 });
  });
  afterAll(async () => {
    await pool.close();
  });

  it("renders every default template exactly as renderMessage does in-process", async () => {
    for (const segment of ["vip", "price_sensitive", "lapsed", "recent"] as const)
      for (const channel of ["email", "sms"] as const) {
        const template = defaultTemplate("launch", channel, segment);
        const variables = sampleVariables(segment);
        expect(await pool.render(template, variables)).toEqual(renderMessage(template, variables));
      }
    expect(pool.workers).toBeLessThanOrEqual(2);
  });

  it("keeps a plain request fast while slow templates render; in-process rendering would stall it", async () => {
    const template = slowEmail({ html: true, text: true });
    const variables = sampleVariables("vip");
    await pool.render(defaultTemplate("launch", "sms", "vip"), variables); // workers started
    let pooledMs = 0;
    const pooled = await localLatencyDuring(async () => {
      const started = performance.now();
      const results = await Promise.all([1, 2, 3].map(() => pool.render(template, variables)));
      pooledMs = performance.now() - started;
      for (const result of results)
        expect(result).toMatchObject({
          ok: false,
          errors: [{ part: "html", message: expect.stringMatching(/render limit/) }, { part: "text" }],
        });
    });
    // The control: the same renders on this thread's event loop.
    const inline = await localLatencyDuring(async () => {
      for (let i = 0; i < 3; i++) {
        renderMessage(template, variables);
        await new Promise((resolve) => setImmediate(resolve));
      }
    });
    expect(pooledMs).toBeGreaterThan(450); // the renders really were slow…
    expect(inline.worstMs).toBeGreaterThan(400); // …and would have stalled the server
    expect(pooled.worstMs).toBeLessThan(200);
    expect(pooled.requests).toBeGreaterThan(5);
  });
});

describe("the render pool's time limit", () => {
  it("terminates a job that runs over, names its part, and renders the next job on a fresh thread", async () => {
    const pool = new RenderPool({ size: 1, timeLimitMs: 120 });
    try {
      const variables = sampleVariables("vip");
      await pool.render(defaultTemplate("launch", "sms", "vip"), variables); // the thread is up
      const started = performance.now();
      const stopped = await pool.render(slowEmail({ html: true }), variables);
      const tookMs = performance.now() - started;
      expect(stopped).toEqual({
        ok: false,
        errors: [
          {
            part: "html",
            line: 1,
            column: 1,
            message:
              "stopped after 0.12 s: this part takes too long to render (a loop or filter over too much)",
          },
        ],
      });
      // liquidjs alone would have let this part run 250 ms
      expect(tookMs).toBeLessThan(240);
      const template = defaultTemplate("launch", "email", "vip");
      expect(await pool.render(template, variables)).toEqual(renderMessage(template, variables));
      expect(pool.workers).toBe(1);
    } finally {
      await pool.close();
    }
  });
});

describe("the render pool under a stalled event loop", () => {
  it("takes an answer the thread sent in time, even when this thread wakes after the time limit", async () => {
    const pool = new RenderPool({ size: 1, timeLimitMs: 200 });
    try {
      const variables = sampleVariables("price_sensitive");
      const template = defaultTemplate("launch", "sms", "price_sensitive");
      await pool.render(template, variables); // the thread is up
      const answer = pool.render(template, variables); // posted to the thread now
      // this thread busy past the limit in another callback (a loaded machine, a long query), so
      // the overdue timer comes round before the thread's answer is read
      await new Promise<void>((resolve) =>
        setImmediate(() => {
          const until = performance.now() + 2_000; // time enough for a starved worker thread to answer
          while (performance.now() < until);
          resolve();
        }),
      );
      expect(await answer).toEqual(renderMessage(template, variables));
      expect(pool.workers).toBe(1); // not terminated as over time
    } finally {
      await pool.close();
    }
  });
});
