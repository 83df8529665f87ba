// A consumer process for the crash test: it claims a message, announces it on stdout and then
// hangs in the download, so the parent can SIGKILL it after the claim and before any ack.
// Runs on the built packages (dist), which the test builds when they are stale.
import { processMessage, RabbitConsumer } from "@narrative-engine/consumer";
import { SqliteDeduplicationStore } from "@narrative-engine/dedup";
import { RecoveryPolicy } from "@narrative-engine/errors";

const config = JSON.parse(process.env["CRASH_CONSUMER_CONFIG"] ?? "{}");
const dedup = new SqliteDeduplicationStore({ path: config.sqlitePath });
const hang = () => new Promise(() => undefined);
const deps = {
  config: { allowedBuckets: [config.bucket], quarantineBucket: config.bucket, leaseMs: config.leaseMs, workerId: "crashing-worker" },
  store: {
    get: async (_bucket, key) => {
      process.stdout.write(`DOWNLOADING ${key}\n`);
      return hang();
    },
  },
  dedup,
  decoder: { decode: hang },
  validator: { validate: hang },
  processors: { get: () => undefined },
  writer: { write: hang },
  policy: new RecoveryPolicy(),
};
const consumer = new RabbitConsumer({
  url: config.url,
  topology: config.topology,
  handler: (delivery, options) => processMessage(delivery, deps, options),
  concurrency: 1,
  connectionName: "crashing-worker",
});
await consumer.start();
process.stdout.write("CONSUMING\n");
