// Campaign planning benchmark (not part of `npm test`): `npm run bench:plan`.
//
// In a fresh PostgreSQL schema (DATABASE_URL):
//   1. generates BENCH_CUSTOMERS (default 1,000,000) customers in SQL (seeded random()): email on
//      95%, email consent 70%, phone on 60%, SMS consent 35%, 25 time zones plus 10% without one,
//      US provinces (FL/OK/WA have stricter SMS hours), a CustomerScore row per customer with a
//      segment mix like the rescore benchmark's, 1% with a suppression; VACUUM ANALYZE;
//   2. creates the Cyber Week 2026 campaigns and plans every enabled one (planPlaybookCampaigns, the
//      app's code in this process), timing each campaign and the total;
//   3. times the audience preview and scheduling (planned → queued) of the largest campaign.
// Prints one JSON line, with the CPU seconds the planning took in this process and in the server's
// backends (the machine is shared: wall time includes waiting for a CPU).
// Env: BENCH_CUSTOMERS, BENCH_BATCH (customers per page), DATABASE_URL, BENCH_WRITE=prisma (pages
// inserted through Prisma instead of the database's bulk writer), BENCH_KEEP=1 (keep the schema to look at).

import os from "node:os";
import type { PrismaClient } from "@prisma/client";
import { createDatabase } from "../../app/db.server";
import { machineBusySeconds, serverCpu } from "./cpu";
import { changeCampaignStatus } from "../../app/campaigns/lifecycle/change-campaign-status.server";
import { createPlaybookCampaigns } from "../../app/campaigns/lifecycle/create-playbook-campaigns.server";
import type { CampaignDeps } from "../../app/campaigns/lifecycle/deps";
import type { PlanCampaignResult } from "../../app/campaigns/plan/plan-campaign.server";
import { planPlaybookCampaigns } from "../../app/campaigns/plan/plan-playbook.server";
import { previewAudience } from "../../app/campaigns/plan/preview-audience.server";
import { postgresTarget } from "../integration/helpers/db";

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const BATCH = process.env.BENCH_BATCH ? Number(process.env.BENCH_BATCH) : undefined;
const WRITES = process.env.BENCH_WRITES ? Number(process.env.BENCH_WRITES) : undefined;
const SHOP = "bench-shop.myshopify.com";
const NOW = new Date("2026-10-15T12:00:00.000Z");

const seconds = (ms: number) => Math.round(ms / 10) / 100;
const maxRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

const ZONES = [
  "America/New_York",
  "America/Chicago",
  "America/Denver",
  "America/Los_Angeles",
  "America/Phoenix",
  "America/Anchorage",
  "Pacific/Honolulu",
  "America/Toronto",
  "America/Vancouver",
  "America/Mexico_City",
  "America/Sao_Paulo",
  "Europe/London",
  "Europe/Dublin",
  "Europe/Paris",
  "Europe/Berlin",
  "Europe/Madrid",
  "Europe/Warsaw",
  "Europe/Helsinki",
  "Asia/Kolkata",
  "Asia/Singapore",
  "Asia/Tokyo",
  "Australia/Sydney",
  "Australia/Perth",
  "Pacific/Auckland",
  "Africa/Johannesburg",
];
const PROVINCES = ["CA", "TX", "NY", "FL", "IL", "PA", "OH", "GA", "WA", "OK", "MA", "AZ"];

async function seed(prisma: PrismaClient): Promise<void> {
  await prisma.shop.create({
    data: { domain: SHOP, scopes: "read_customers", ianaTimezone: "America/New_York" },
  });
  await prisma.$executeRawUnsafe(`SELECT setseed(0.17)`);
  await prisma.$executeRawUnsafe(
    `INSERT INTO "Customer" (shop, id, email, phone, tags, "emailMarketingState", "smsMarketingState", "countryCode",
       "provinceCode", "timeZone", "shopifyCreatedAt", "shopifyUpdatedAt")
     WITH u AS (SELECT g, random() AS u1, random() AS u2, random() AS u3, random() AS u4, random() AS u5, random() AS u6
       FROM generate_series(1, $2::int) g)
     SELECT $1, 7000000000 + g,
       CASE WHEN u1 < 0.95 THEN 'c' || g || '@example.com' END,
       CASE WHEN u3 < 0.6 THEN '+1555' || lpad(g::text, 7, '0') END,
       '{}',
       CASE WHEN u2 < 0.70 THEN 'SUBSCRIBED' WHEN u2 < 0.85 THEN 'NOT_SUBSCRIBED' WHEN u2 < 0.95 THEN 'UNSUBSCRIBED' ELSE 'PENDING' END,
       CASE WHEN u4 < 0.35 THEN 'SUBSCRIBED' WHEN u4 < 0.8 THEN 'NOT_SUBSCRIBED' END,
       'US', ($4::text[])[1 + floor(u5 * array_length($4::text[], 1))::int],
       CASE WHEN u6 < 0.1 THEN NULL ELSE ($3::text[])[1 + floor(u6 * 1000)::int % array_length($3::text[], 1)] END,
       '2024-01-01', '2026-09-01'
     FROM u`,
    SHOP,
    CUSTOMERS,
    `{${ZONES.join(",")}}`,
    `{${PROVINCES.join(",")}}`,
  );
  await prisma.$executeRawUnsafe(
    `INSERT INTO "CustomerScore" (shop, "customerId", r, f, m, segment)
     SELECT $1, id, 3, 3, 3, CASE WHEN u < 0.44 THEN 'lapsed' WHEN u < 0.58 THEN 'regular' WHEN u < 0.70 THEN 'prospect'
       WHEN u < 0.82 THEN 'price_sensitive' WHEN u < 0.92 THEN 'recent' ELSE 'vip' END
     FROM (SELECT id, random() AS u FROM "Customer" WHERE shop = $1) c`,
    SHOP,
  );
  await prisma.$executeRawUnsafe(
    `INSERT INTO "Suppression" (shop, "customerId", channel, reason)
     SELECT $1, id, (ARRAY['email', 'sms', 'all'])[1 + floor(random() * 3)::int],
       (ARRAY['unsubscribed', 'bounced', 'complained'])[1 + floor(random() * 3)::int]
     FROM "Customer" WHERE shop = $1 AND random() < 0.01`,
    SHOP,
  );
  for (const table of ["Customer", "CustomerScore", "Suppression"])
    await prisma.$executeRawUnsafe(`VACUUM ANALYZE "${table}"`);
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL (PostgreSQL) is needed");
  const target = await postgresTarget(url);
  const app = `plan-bench-${process.pid}`;
  const named = new URL(target.databaseUrl ?? url);
  named.searchParams.set("application_name", app);
  const db = await createDatabase({ databaseUrl: named.toString() });
  try {
    const prisma = db.prisma;
    let t = Date.now();
    await seed(prisma);
    const seedSeconds = seconds(Date.now() - t);
    const rssAfterSeedMb = maxRssMb();
    const deps: CampaignDeps = {
      prisma,
      writer: process.env.BENCH_WRITE === "prisma" ? undefined : db.bulkWriter,
      now: () => NOW,
      log: (line) => process.stderr.write(`${line}\n`),
    };
    await createPlaybookCampaigns(deps, SHOP, { playbook: "cyber-week", year: 2026, countryCode: "US" });

    const perCampaign: Array<Record<string, unknown>> = [];
    const cpu = serverCpu(prisma, app);
    await cpu();
    const nodeCpuBefore = process.cpuUsage();
    const machineBefore = machineBusySeconds();
    t = Date.now();
    let last = t;
    const onPlanned = (r: PlanCampaignResult) => {
      const at = Date.now();
      perCampaign.push({
        key: r.key,
        seconds: seconds(at - last),
        customers: r.customers,
        rows: r.rows,
        ...r.byStatus,
      });
      last = at;
    };
    const result = await planPlaybookCampaigns(
      deps,
      SHOP,
      { playbook: "cyber-week", year: 2026 },
      { batchSize: BATCH, parallelWrites: WRITES, onPlanned },
    );
    const planSeconds = seconds(Date.now() - t);
    const nodeCpu = process.cpuUsage(nodeCpuBefore);
    const machineCpuSeconds = machineBusySeconds() - machineBefore;
    const serverCpuMs = await cpu();
    const peakRssMb = maxRssMb();
    const [{ n: rowsStored } = { n: 0 }] = await prisma.$queryRawUnsafe<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM "OutboxMessage" WHERE shop = $1`,
      SHOP,
    );

    const largest = [...result.planned].sort((a, b) => b.rows - a.rows)[0];
    let previewSeconds = null;
    let scheduleSeconds = null;
    let queued = null;
    if (largest) {
      t = Date.now();
      await previewAudience(prisma, SHOP, largest.campaignId);
      previewSeconds = seconds(Date.now() - t);
      await prisma.channelConfig.createMany({
        data: ["email", "sms"].map((channel) => ({ shop: SHOP, channel, sealed: "bench", testOk: true })),
      });
      t = Date.now();
      queued = (await changeCampaignStatus(deps, SHOP, largest.campaignId, "schedule")).rows;
      scheduleSeconds = seconds(Date.now() - t);
    }
    const [{ version } = { version: "?" }] =
      await prisma.$queryRawUnsafe<Array<{ version: string }>>(`SHOW server_version`);
    process.stdout.write(
      `${JSON.stringify({
        node: process.version,
        postgres: version,
        cpus: os.cpus().length,
        cpu: os.cpus()[0]?.model ?? "?",
        customers: CUSTOMERS,
        batch: BATCH ?? "default",
        seedSeconds,
        planSeconds,
        planCpuSeconds: {
          node: seconds((nodeCpu.user + nodeCpu.system) / 1000),
          server: serverCpuMs === null ? null : seconds(serverCpuMs),
          // every process on the machine, PostgreSQL's backends included
          machine: +machineCpuSeconds.toFixed(2),
        },
        rowsWritten: result.planned.reduce((n, p) => n + p.rows, 0),
        rowsStored,
        perCampaign,
        skipped: result.skipped,
        largest: largest?.key,
        previewSeconds,
        scheduleSeconds,
        queued,
        rssAfterSeedMb,
        peakRssMb,
      })}\n`,
    );
  } finally {
    await db.close();
    if (process.env.BENCH_KEEP) process.stderr.write(`kept ${target.databaseUrl}\n`);
    else await target.cleanup();
  }
}

await main();
