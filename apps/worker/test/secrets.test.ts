import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { deleteTopology, describeWithSamples, freePort, rabbitUrl, sampleFiles, startS3Server, uniquePrefix, type TestS3Server } from "@narrative-engine/test-kit";
import amqp from "amqplib";
import { afterAll, beforeAll, expect, test } from "vitest";
import { cleanEnv, eventually, requireBuiltCli, runCli, startCli, type RunningCli } from "./cli-process.ts";
import { trainingObjects } from "./s3rver-files.ts";

requireBuiltCli();

// A full run with recognisable credentials, user id and narratives: none of them may appear in
// the worker's logs, its /metrics, /health and /ready answers, or the dead letters' headers; the
// broker URL is shown with its password masked (config print, start-up log).
const execFileAsync = promisify(execFile);
const tag = randomBytes(4).toString("hex");
const brokerUser = `ne-secrets-${tag}`;
const brokerPassword = `BrokerPw-RECOGNISABLE-${tag}`;
const s3AccessKey = `AKIARECOGNISABLE${tag.toUpperCase()}`;
const s3SecretKey = `S3Secret-RECOGNISABLE-${tag}`;
const userId = `secret-user-${tag}`;
const work = mkdtempSync(join(tmpdir(), "ne-secrets-"));
const prefix = uniquePrefix("secrets");
const bucket = "health-data";
const names = { exchange: `${prefix}.exchange`, queue: `${prefix}.processing`, dlx: `${prefix}.dlx`, dlq: `${prefix}.dlq`, retry: [`${prefix}.retry_1s`] };
let s3: TestS3Server;
let env: Record<string, string>;
let metricsPort: number;
let worker: RunningCli | undefined;
let userCreated = false;

beforeAll(async () => {
  s3 = await startS3Server({ buckets: [bucket] });
  // s3rver accepts the key pairs of its (module-level) dummy account: add a recognisable one.
  const requireKit = createRequire(resolve(import.meta.dirname, "../../../tooling/test-kit/package.json"));
  const account = requireKit("s3rver/lib/models/account.js") as { DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void } };
  account.DUMMY_ACCOUNT.createKeyPair(s3AccessKey, s3SecretKey);
  await execFileAsync("rabbitmqctl", ["-q", "add_user", brokerUser, brokerPassword]);
  userCreated = true;
  await execFileAsync("rabbitmqctl", ["-q", "set_permissions", "-p", "/", brokerUser, ".*", ".*", ".*"]);
  metricsPort = await freePort();
  env = cleanEnv({
    ETL_RABBITMQ_URL: `amqp://${brokerUser}:${brokerPassword}@127.0.0.1:5672`,
    ETL_EXCHANGE_NAME: names.exchange,
    ETL_QUEUE_NAME: names.queue,
    ETL_DEAD_LETTER_EXCHANGE: names.dlx,
    ETL_DEAD_LETTER_QUEUE: names.dlq,
    ETL_RETRY_QUEUE_PREFIX: `${prefix}.retry_`,
    ETL_RETRY_DELAYS: "1",
    ETL_S3_ENDPOINT_URL: s3.endpoint,
    ETL_S3_ACCESS_KEY: s3AccessKey,
    ETL_S3_SECRET_KEY: s3SecretKey,
    ETL_S3_BUCKET_NAME: bucket,
    ETL_S3_REGION: s3.region,
    ETL_DEDUPLICATION_DB_PATH: join(work, "dedup.sqlite"),
    ETL_METRICS_PORT: String(metricsPort),
    ETL_METRICS_HOST: "127.0.0.1",
    ETL_SHUTDOWN_GRACE_SECONDS: "5",
  });
}, 120_000);

afterAll(async () => {
  await worker?.stop("SIGKILL");
  await deleteTopology({ queues: [names.queue, ...names.retry, names.dlq], exchanges: [names.exchange, names.dlx] });
  if (userCreated) await execFileAsync("rabbitmqctl", ["-q", "delete_user", brokerUser]).catch(() => undefined);
  await s3?.close();
  rmSync(work, { recursive: true, force: true });
}, 120_000);

const secrets = { brokerPassword, s3AccessKey, s3SecretKey };

function expectNoSecrets(text: string, where: string): void {
  for (const [name, value] of Object.entries(secrets)) expect(text.includes(value), `${name} in ${where}`).toBe(false);
}

describeWithSamples("secrets and health data stay out of logs, metrics and dead letters", () => {
  test("config print masks the broker password and every secret", async () => {
    for (const args of [["config", "print"], ["config", "print", "--json"]]) {
      const r = await runCli(args, { env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`amqp://${brokerUser}:***@127.0.0.1:5672`);
      expectNoSecrets(r.stdout + r.stderr, args.join(" "));
    }
  }, 60_000);

  test(
    "a full run: no credential, user id or narrative in logs, /metrics, /health or dead-letter headers",
    async () => {
      const files = ["BloodGlucoseRecord", "HeartRateRecord", "SleepSessionRecord", "StepsRecord"].map((t) => sampleFiles(t)[0]!.path);
      const published = await runCli(["publish", ...files, "--user", userId], { env });
      expect(published.code, published.stderr).toBe(0);
      // Two messages that end as dead letters: a missing object (after the claim) and a body that does not parse.
      const conn = await amqp.connect(rabbitUrl);
      try {
        const ch = await conn.createConfirmChannel();
        const missing = {
          bucket,
          key: `raw/BloodGlucoseRecord/2026/01/05/${userId}_1767607200000.avro`,
          user_id: userId,
          record_type: "AvroBloodGlucoseRecord",
          upload_timestamp_utc: "2026-01-05T10:00:00Z",
          file_size_bytes: 100,
          file_hash: "b".repeat(64),
          correlation_id: "secrets-missing",
        };
        ch.publish(names.exchange, "health.processing.bloodglucoserecord", Buffer.from(JSON.stringify(missing)), { persistent: true, correlationId: "secrets-missing" });
        ch.publish(names.exchange, "health.processing.bloodglucoserecord", Buffer.from(`{"user_id":"${userId}", broken`), { persistent: true, correlationId: "secrets-broken" });
        await ch.waitForConfirms();
        await ch.close();
      } finally {
        await conn.close();
      }

      worker = startCli(["worker"], { env });
      await worker.waitFor("worker ready", 120_000);
      const scrape = async (path: string) => (await fetch(`http://127.0.0.1:${metricsPort}${path}`)).text();
      const early = await scrape("/metrics");
      await eventually(
        async () => {
          const r = await runCli(["status", "--json"], { env });
          const s = JSON.parse(r.stdout) as { queues: { deadLetter: number | null; processing: number | null } | null; deduplication: Record<string, number> | null };
          return s.deduplication?.["completed"] === files.length && s.queues?.deadLetter === 2 && s.queues.processing === 0;
        },
        180_000,
        "four completed files and two dead letters",
      );
      const scraped = [early, await scrape("/metrics"), await scrape("/health"), await scrape("/ready"), await scrape("/live")].join("\n");
      expect(await worker.stop("SIGTERM")).toBe(0);
      const logs = worker.output();
      worker = undefined;

      // The start-up log names the broker with the password masked.
      expect(logs).toContain(`"broker":"amqp://${brokerUser}:***@127.0.0.1:5672"`);
      // The narratives the run produced (known text) — pieces long enough to be unambiguous.
      const narratives = [...trainingObjects(s3.directory, bucket).values()].flat().map((line) => (JSON.parse(line) as { output: string }).output);
      expect(narratives).toHaveLength(files.length);
      const snippets = narratives.flatMap((n) => [n.slice(0, 60), n.slice(Math.floor(n.length / 2), Math.floor(n.length / 2) + 60)]).filter((s) => s.length >= 30);
      expect(snippets.length).toBeGreaterThan(0);

      // Dead-letter headers, as text.
      const c2 = await amqp.connect(rabbitUrl);
      const letters: string[] = [];
      try {
        const ch = await c2.createChannel();
        for (;;) {
          const msg = await ch.get(names.dlq, { noAck: true });
          if (msg === false) break;
          const h = msg.properties.headers ?? {};
          letters.push(JSON.stringify(Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Buffer.isBuffer(v) ? v.toString("utf8") : v]))));
        }
      } finally {
        await c2.close();
      }
      expect(letters).toHaveLength(2);
      const headers = letters.join("\n");
      expect(headers).toContain("not_found");

      for (const [where, text] of [
        ["worker logs", logs],
        ["/metrics, /health, /ready", scraped],
        ["dead-letter headers", headers],
      ] as const) {
        expectNoSecrets(text, where);
        for (const snippet of snippets) expect(text.includes(snippet), `narrative text in ${where}`).toBe(false);
      }
      expect(logs.includes(userId), "user id in worker logs (info level)").toBe(false);
      expect(scraped.includes(userId), "user id in metrics").toBe(false);
      // Not asserted for the dead-letter headers: a not_found reason names the object key, which under the
      // health-api convention holds the user id — as does the dead letter's own body, which only operators read.
    },
    420_000,
  );
});
