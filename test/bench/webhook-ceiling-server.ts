// The ceiling the webhook benchmark compares the app with: a bare `node:http` server that reads the
// body, checks Shopify's HMAC and parses the JSON, then answers 200 — no database, no queue. Run as
// its own process (`tsx webhook-ceiling-server.ts <secret>`), like the app; prints {"port":N}.

import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

const secret = process.argv[2] ?? "";
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const given = Buffer.from(String(req.headers["x-shopify-hmac-sha256"] ?? ""), "base64");
    const expected = createHmac("sha256", secret).update(body).digest();
    let ok = given.length === expected.length && timingSafeEqual(given, expected);
    if (ok) {
      try {
        ok = typeof JSON.parse(body.toString("utf8")) === "object";
      } catch {
        ok = false;
      }
    }
    res.writeHead(ok ? 200 : 401, { "Content-Type": "text/plain" }).end(ok ? "ok" : "unauthorized");
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(
    `${JSON.stringify({ port: typeof address === "object" && address ? address.port : 0 })}\n`,
  );
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
