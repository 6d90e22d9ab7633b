// Messages per second through the channels into the local sinks, per channel and all three at
// once: `npx tsx test/emulator/sinks/bench.ts [messages per channel, default 4000]`.
// Channels and sinks share one process, as in the tests; the dispatch target is 1,000/s.
import { createChannel } from "../../../app/messaging/channels/create-channel.server";
import type { OutboundMessage } from "../../../app/messaging/channels/types";
import { startSinks } from "./index";
import { EMULATOR_NETWORK } from "../../support/network";

const metadata = { shop: "bench.myshopify.com", campaignId: "bench", customerId: "1" };
const messages = {
  smtp: (i: number): OutboundMessage => ({
    idempotencyKey: `bench:${i}:email`,
    to: "customer@example.com",
    content: {
      channel: "email",
      subject: "Black Friday starts now",
      html: "<p>Hello, <b>20% off</b> until midnight.</p>",
      text: "Hello, 20% off until midnight.",
      headers: {
        "List-Unsubscribe": "<https://app.example/u?t=x>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      },
    },
    metadata,
  }),
  twilio: (i: number): OutboundMessage => ({
    idempotencyKey: `bench:${i}:sms`,
    to: "+15551234567",
    content: { channel: "sms", body: "20% off until midnight. Reply STOP to opt out." },
    metadata,
  }),
  webhook: (i: number): OutboundMessage => ({
    idempotencyKey: `bench:${i}:webhook`,
    to: "1",
    content: { channel: "webhook", payload: { segment: "vip", offer: "20%" } },
    metadata,
  }),
};
type Kind = keyof typeof messages;

const perChannel = Number(process.argv[2] ?? 4000);
const sinks = await startSinks();
const channels = {
  smtp: createChannel(sinks.settings.smtp, { network: EMULATOR_NETWORK }),
  twilio: createChannel(sinks.settings.twilio, { network: EMULATOR_NETWORK }),
  webhook: createChannel(sinks.settings.webhook, { network: EMULATOR_NETWORK }),
};

async function run(kinds: Kind[], offset: number): Promise<void> {
  const started = performance.now();
  const results = await Promise.all(
    kinds.flatMap((kind) =>
      Array.from({ length: perChannel }, (_, i) => channels[kind].send(messages[kind](offset + i))),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const notSent = results.filter((r) => r.status !== "sent").length;
  process.stdout.write(
    `${kinds.join("+").padEnd(20)} ${results.length} messages in ${seconds.toFixed(2)} s = ${Math.round(results.length / seconds)}/s${notSent ? `, ${notSent} not sent` : ""}\n`,
  );
}

await run(["smtp"], 0);
await run(["twilio"], 0);
await run(["webhook"], 0);
await run(["smtp", "twilio", "webhook"], perChannel);
const stats = sinks.stats();
process.stdout.write(
  `sinks: smtp ${stats.smtp.accepted}, twilio ${stats.twilio.accepted}, webhook ${stats.webhook.accepted} accepted; duplicates ${stats.smtp.duplicates + stats.twilio.duplicates + stats.webhook.duplicates}\n`,
);
await Promise.all(Object.values(channels).map((channel) => channel.close()));
await sinks.close();
