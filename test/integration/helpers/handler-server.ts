import { createServer, type Server } from "node:http";

// A route handler ((Request) => Response) served over real HTTP on a free loopback port, the way
// providers reach the app. Requests arrive under another host, as behind a proxy, so a signature
// must hold for the public URL the provider was given, not the one the server sees.

export interface HandlerServer {
  url: string;
  close(): Promise<void>;
}

export async function serveHandler(
  handle: (request: Request) => Promise<Response>,
  onError: (error: unknown) => void,
): Promise<HandlerServer> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const headers = new Headers();
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2)
        headers.append(req.rawHeaders[i] ?? "", req.rawHeaders[i + 1] ?? "");
      const request = new Request(`http://internal.invalid${req.url ?? "/"}`, {
        method: req.method,
        headers,
        body: req.method === "POST" ? Buffer.concat(chunks) : undefined,
      });
      handle(request)
        .then(async (response) => {
          res.writeHead(response.status, Object.fromEntries(response.headers));
          res.end(Buffer.from(await response.arrayBuffer()));
        })
        .catch((error: unknown) => {
          onError(error);
          res.writeHead(500).end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
