import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createDatabase } from "~/db.server";
import { freePort } from "../../scripts/demo/start-demo";
import { SEGMENTS, SEGMENT_TREATMENT } from "~/segments/rules";

// `npm run demo -- --once` as a user runs it: the real script in a child process on its default
// embedded database. Its printed tables are parsed and held against the database it leaves behind:
// the "sent now" table's outbox column must equal the campaign's sent rows per segment and channel,
// its sink column the messages the sinks accepted (each sent row carries the id the sink answered
// with, distinct per message), and the segment table must cover every generated customer. The store's
// history runs up to the demo's start, so on the day the test runs every segment has customers and
// every campaign of the planned playbook has messages to send.

const CUSTOMERS = 2_000;
const dataDir = mkdtempSync(join(tmpdir(), "demo-once-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

async function runDemo(args: string[], env: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/demo.ts", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

const count = (text: string) => Number(text.replaceAll(",", ""));

/** The rows under `sent now: <key>`: segment, channel, outbox and at-sink counts. */
function sentTable(stdout: string): {
  key: string;
  rows: Array<{ segment: string; channel: string; outbox: number; sink: number }>;
} {
  const lines = stdout.split("\n");
  const start = lines.findIndex((line) => line.startsWith("sent now: "));
  if (start < 0) throw new Error("no 'sent now' table in the output");
  expect(lines[start + 1]).toMatch(/^\s+segment\s+channel\s+outbox\s+at sink$/);
  const rows = [];
  for (const line of lines.slice(start + 2)) {
    const m = /^\s{2}(\S+)\s+(email|sms|webhook)\s+([\d,]+)\s+([\d,]+)$/.exec(line);
    if (!m) break;
    rows.push({
      segment: m[1] ?? "",
      channel: m[2] ?? "",
      outbox: count(m[3] ?? ""),
      sink: count(m[4] ?? ""),
    });
  }
  return { key: (lines[start] ?? "").slice("sent now: ".length).trim(), rows };
}

function segmentTable(stdout: string): { total: number; rows: Map<string, number> } {
  const m = /^segments \(([\d,]+) customers scored\):$/m.exec(stdout);
  if (!m) throw new Error("no segment table in the output");
  const rows = new Map<string, number>();
  const after = stdout
    .slice((m.index ?? 0) + m[0].length)
    .split("\n")
    .slice(1);
  for (const line of after) {
    const row = /^\s{2}(\S.*?)\s+([\d,]+)\s+[\d.]+%$/.exec(line);
    if (!row) break;
    rows.set(row[1] ?? "", count(row[2] ?? ""));
  }
  return { total: count(m[1] ?? ""), rows };
}

const Enabled = z.object({ draft: z.object({ enabled: z.boolean() }) });
const SentRow = z.object({ segment: z.string(), channel: z.string(), providerId: z.string().nullable() });
// What each sink answers with: the SMTP sink's "queued as M<seq>", Twilio's "SM" + 32 hex digits.
const SINK_ID: Record<string, RegExp> = { email: /^M\d+$/, sms: /^SM[0-9a-f]{32}$/, webhook: /\S/ };

describe("npm run demo -- --once", () => {
  it(`backfills ${CUSTOMERS} customers, sends the VIP campaign and prints what was sent, which the outbox confirms`, async () => {
    const started = Date.now();
    const run = await runDemo(["--once", "--customers", String(CUSTOMERS), "--seed", "3"], {
      PORT: String(await freePort()),
      DATA_DIR: dataDir,
      // the demo's default: embedded database, in-process jobs (CI's services are not its business)
      DATABASE_URL: "",
      REDIS_URL: "",
    });
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `demo --once with ${CUSTOMERS} customers: exit ${run.code} in ${seconds.toFixed(1)} s\n`,
    );
    expect({ code: run.code, signal: run.signal, stderr: run.stderr }).toEqual({
      code: 0,
      signal: null,
      stderr: "",
    });
    expect(run.stdout).toMatch(/^demo ok in [\d.]+ s$/m);
    expect(run.stdout).not.toMatch(/^FAIL /m);

    const segments = segmentTable(run.stdout);
    expect(segments.total).toBe(CUSTOMERS);
    expect([...segments.rows.values()].reduce((a, b) => a + b, 0)).toBe(CUSTOMERS);
    for (const segment of SEGMENTS) {
      const label = SEGMENT_TREATMENT[segment].label;
      expect(segments.rows.get(label) ?? 0, `${label} in\n${run.stdout}`).toBeGreaterThan(0);
    }

    const table = sentTable(run.stdout);
    expect(table.key).toMatch(/^(cyber-week|christmas)-\d{4}:vip$/);
    expect(table.rows.length).toBeGreaterThan(0);
    expect(table.rows.every((r) => r.segment === "vip" && r.outbox > 0)).toBe(true);
    expect(new Set(table.rows.map((r) => r.channel)).size).toBe(table.rows.length);
    // VIPs who can be reached, and no more: the demo sends to consented customers only
    expect(table.rows.reduce((n, r) => n + r.outbox, 0)).toBeLessThanOrEqual(segments.rows.get("VIP") ?? 0);

    // The script has exited, so its embedded database can be opened here.
    const db = await createDatabase({ dataDir });
    try {
      const campaign = await db.prisma.campaign.findFirstOrThrow({ where: { key: table.key } });
      const sent = z.array(SentRow).parse(
        await db.prisma.outboxMessage.findMany({
          where: { campaignId: campaign.id, status: "sent" },
          select: { segment: true, channel: true, providerId: true },
        }),
      );
      const failed = await db.prisma.outboxMessage.count({
        where: { campaignId: campaign.id, status: "failed" },
      });
      const perGroup = new Map<string, { outbox: number; providerIds: Set<string> }>();
      for (const row of sent) {
        const group = perGroup.get(`${row.segment} ${row.channel}`) ?? { outbox: 0, providerIds: new Set() };
        group.outbox += 1;
        if (row.providerId && (SINK_ID[row.channel] ?? /$^/).test(row.providerId))
          group.providerIds.add(row.providerId);
        perGroup.set(`${row.segment} ${row.channel}`, group);
      }
      expect(failed).toBe(0);

      // Every campaign the playbook switched on has customers to send to (recent's cross-sell too).
      const playbook = await db.prisma.campaign.findMany({
        where: { key: { startsWith: `${table.key.split(":")[0]}:` } },
        select: { id: true, key: true, definition: true },
      });
      const enabled = playbook.filter((c) => Enabled.parse(c.definition).draft.enabled);
      const season = table.key.split(":")[0];
      expect(enabled.map((c) => c.key).sort()).toEqual(["lapsed", "price_sensitive", "recent", "vip"].map((s) => `${season}:${s}`));
      for (const c of enabled) {
        const toSend = await db.prisma.outboxMessage.count({
          where: { campaignId: c.id, status: { in: ["planned", "queued", "sending", "sent"] } },
        });
        expect(toSend, `${c.key}: messages to send`).toBeGreaterThan(0);
      }
      expect(
        Object.fromEntries(
          [...perGroup].map(([group, g]) => [group, { outbox: g.outbox, sink: g.providerIds.size }]),
        ),
      ).toEqual(
        Object.fromEntries(
          table.rows.map((r) => [`${r.segment} ${r.channel}`, { outbox: r.outbox, sink: r.sink }]),
        ),
      );
    } finally {
      await db.close();
    }
  }, 150_000);
});
