import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CopyObjectCommand, DeleteObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { deleteRedisPrefix, deleteTopology, drainQueue, freePort, rabbitUrl, redisKeyPrefix, redisUrl, startS3Server, uniquePrefix, type TestS3Server } from "@narrative-engine/test-kit";
import amqp from "amqplib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { cleanEnv, eventually, requireBuiltCli, runCli, startCli, type RunningCli } from "./cli-process.ts";

requireBuiltCli();

const work = mkdtempSync(join(tmpdir(), "ne-worker-rt-"));
const prefix = uniquePrefix("worker-cli");
const bucket = "health-data";
const names = {
  exchange: `${prefix}.exchange`,
  queue: `${prefix}.processing`,
  dlx: `${prefix}.dlx`,
  dlq: `${prefix}.dlq`,
  retry: [`${prefix}.retry_1s`, `${prefix}.retry_2s`],
};
let s3: TestS3Server;
let env: Record<string, string>;
let metricsPort: number;
let worker: RunningCli | undefined;

interface Status {
  queues: { processing: number | null; retry: Record<string, number | null>; deadLetter: number | null } | null;
  deduplication: Record<string, number> | null;
}

async function status(withEnv: Record<string, string> = env): Promise<Status> {
  const r = await runCli(["status", "--json"], { env: withEnv });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Status;
}

beforeAll(async () => {
  s3 = await startS3Server({ buckets: [bucket] });
  metricsPort = await freePort();
  env = cleanEnv({
    ETL_RABBITMQ_URL: rabbitUrl,
    ETL_EXCHANGE_NAME: names.exchange,
    ETL_QUEUE_NAME: names.queue,
    ETL_DEAD_LETTER_EXCHANGE: names.dlx,
    ETL_DEAD_LETTER_QUEUE: names.dlq,
    ETL_RETRY_QUEUE_PREFIX: `${prefix}.retry_`,
    ETL_RETRY_DELAYS: "1,2",
    ETL_S3_ENDPOINT_URL: s3.endpoint,
    ETL_S3_ACCESS_KEY: s3.credentials.accessKeyId,
    ETL_S3_SECRET_KEY: s3.credentials.secretAccessKey,
    ETL_S3_BUCKET_NAME: bucket,
    ETL_S3_REGION: s3.region,
    ETL_DEDUPLICATION_DB_PATH: join(work, "dedup.sqlite"),
    ETL_METRICS_PORT: String(metricsPort),
    ETL_METRICS_HOST: "127.0.0.1",
    ETL_SHUTDOWN_GRACE_SECONDS: "5",
    ETL_PREFETCH_COUNT: "4",
  });
  const g = await runCli(["generate", "--users", "1", "--days", "1", "--seed", "round-trip", "--out", join(work, "data")]);
  expect(g.code, g.stderr).toBe(0);
});

afterAll(async () => {
  await worker?.stop("SIGKILL");
  await deleteTopology({ queues: [names.queue, ...names.retry, names.dlq], exchanges: [names.exchange, names.dlx] });
  await s3?.close();
  rmSync(work, { recursive: true, force: true });
});

describe("publish → worker → status → export against RabbitMQ and S3", () => {
  test("publish uploads six files and announces them like the health-api producer", async () => {
    const r = await runCli(["publish", join(work, "data"), "--user", "rt-user"], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`published 6 message(s) to exchange ${names.exchange}`);
    expect(r.stdout).toMatch(new RegExp(`s3://${bucket}/raw/BloodGlucoseRecord/\\d{4}/\\d{2}/\\d{2}/rt-user_\\d{13}\\.avro`));
    const s = await status();
    expect(s.queues).toMatchObject({ processing: 6, deadLetter: 0 });
    // A peek at one message: the producer's shape exactly.
    const conn = await amqp.connect(rabbitUrl);
    try {
      const ch = await conn.createChannel();
      const msg = await ch.get(names.queue, { noAck: false });
      expect(msg).not.toBe(false);
      if (msg === false) return;
      const body = JSON.parse(msg.content.toString("utf8")) as Record<string, unknown>;
      expect(msg.fields.routingKey).toMatch(/^health\.processing\.[a-z]+record$/);
      expect(msg.properties.deliveryMode).toBe(2);
      expect(String(body["record_type"])).toMatch(/^Avro\w+Record$/);
      expect(body["file_hash"]).toMatch(/^[0-9a-f]{64}$/);
      expect(body["correlation_id"]).toEqual(expect.any(String));
      expect(body).not.toHaveProperty("idempotency_key");
      expect(body).not.toHaveProperty("message_id");
      expect(body["user_id"]).toBe("rt-user");
      ch.nack(msg, false, true);
      await ch.close();
    } finally {
      await conn.close();
    }
  });

  test("the worker processes them, is ready while consuming, and exits 0 on SIGTERM", async () => {
    worker = startCli(["worker"], { env });
    await worker.waitFor("worker ready");
    const ready = await fetch(`http://127.0.0.1:${metricsPort}/ready`);
    expect(ready.status).toBe(200);
    await eventually(async () => (await status()).deduplication?.["completed"] === 6, 60_000, "six completed files");
    const s = await status();
    expect(s.queues).toMatchObject({ processing: 0, deadLetter: 0 });
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/etl_messages_processed_total\{[^}]*status="completed"[^}]*\} \d/);
    expect(metrics).not.toContain("rt-user");
    expect(await worker.stop("SIGTERM")).toBe(0);
    expect(worker.output()).not.toContain("rt-user");
    worker = undefined;
  });

  test("export writes the six training examples from S3 into one file", async () => {
    const file = join(work, "training.jsonl");
    const r = await runCli(["export", "--out", file], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("written 6, dropped 0 duplicate(s)");
    const lines = readFileSync(file, "utf8").split("\n").filter((l) => l !== "");
    expect(lines).toHaveLength(6);
    const types = lines.map((l) => (JSON.parse(l) as { metadata: { record_type: string } }).metadata.record_type).sort();
    expect(types).toEqual(["ActiveCaloriesBurnedRecord", "BloodGlucoseRecord", "HeartRateRecord", "HeartRateVariabilityRmssdRecord", "SleepSessionRecord", "StepsRecord"]);
  });

  test("publishing the same files again: the worker reports duplicates, nothing new is written", async () => {
    const r = await runCli(["publish", join(work, "data"), "--user", "rt-user"], { env });
    expect(r.code, r.stderr).toBe(0);
    worker = startCli(["worker"], { env });
    await worker.waitFor("worker ready");
    await eventually(async () => (await status()).queues?.processing === 0, 60_000, "an empty processing queue");
    expect(await worker.stop("SIGINT")).toBe(0);
    worker = undefined;
    const s = await status();
    expect(s.deduplication?.["completed"]).toBe(6);
    const again = await runCli(["export", "--out", join(work, "training-2.jsonl")], { env });
    expect(again.stdout).toContain("written 6, dropped 0 duplicate(s)");
  });
});

describe("dead letters", () => {
  test("a bad message is dead-lettered; dlq list shows its reason; dlq replay returns it", async () => {
    const conn = await amqp.connect(rabbitUrl);
    try {
      const ch = await conn.createConfirmChannel();
      ch.publish(names.exchange, "health.processing.bloodglucoserecord", Buffer.from(JSON.stringify({ bucket, key: "raw/x.avro" })), { persistent: true, correlationId: "bad-message-1" });
      await ch.waitForConfirms();
      await ch.close();
    } finally {
      await conn.close();
    }
    worker = startCli(["worker"], { env });
    await worker.waitFor("worker ready");
    await eventually(async () => (await status()).queues?.deadLetter === 1, 30_000, "one dead letter");
    expect(await worker.stop("SIGTERM")).toBe(0);
    worker = undefined;

    const list = await runCli(["dlq", "list"], { env });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain("validation_error");
    expect(list.stdout).toContain("bad-message-1");
    expect(list.stdout).toContain("health.processing.bloodglucoserecord");
    expect(list.stdout).not.toContain("raw/x.avro"); // bodies are not printed
    expect((await status()).queues?.deadLetter).toBe(1); // listing does not consume

    const skip = await runCli(["dlq", "replay", "--filter", "not_found"], { env });
    expect(skip.code, skip.stderr).toBe(0);
    expect(skip.stdout).toContain("replayed 0 message(s)");
    expect((await status()).queues).toMatchObject({ processing: 0, deadLetter: 1 });

    const replay = await runCli(["dlq", "replay", "--filter", "validation_error", "--limit", "10"], { env });
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toContain("replayed 1 message(s)");
    expect((await status()).queues).toMatchObject({ processing: 1, deadLetter: 0 });
  });

  test("a file dead-lettered after its claim (object missing) is processed after the object is back and dlq replay reopens its key", async () => {
    await drainQueue(names.queue); // the validation_error replayed above would only dead-letter again
    const before = (await status()).deduplication;
    const one = join(work, "replay-one");
    mkdirSync(one, { recursive: true });
    const userDir = join(work, "data", "synthetic-user-001");
    const steps = readdirSync(userDir).find((f) => f.startsWith("StepsRecord_"))!;
    copyFileSync(join(userDir, steps), join(one, steps));
    const published = await runCli(["publish", one, "--user", "replay-user"], { env });
    expect(published.code, published.stderr).toBe(0);
    const key = new RegExp(`s3://${bucket}/(raw/\\S+\\.avro)`).exec(published.stdout)?.[1];
    expect(key).toBeDefined();
    if (key === undefined) return;
    // An "S3 outage" for this one object: moved aside (metadata kept) before the worker sees the message.
    const client = new S3Client({ endpoint: s3.endpoint, region: s3.region, credentials: s3.credentials, forcePathStyle: true });
    try {
      await client.send(new CopyObjectCommand({ Bucket: bucket, Key: `aside/${key}`, CopySource: `${bucket}/${key}` }));
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      worker = startCli(["worker"], { env });
      await worker.waitFor("worker ready");
      await eventually(async () => (await status()).queues?.deadLetter === 1, 30_000, "the file dead-lettered");
      expect(await worker.stop("SIGTERM")).toBe(0);
      worker = undefined;
      expect((await status()).deduplication?.["dead_lettered"]).toBe((before?.["dead_lettered"] ?? 0) + 1);
      const list = await runCli(["dlq", "list"], { env });
      expect(list.stdout).toContain("not_found");

      // The outage is fixed; the replay reopens the key, so the worker processes the file.
      await client.send(new CopyObjectCommand({ Bucket: bucket, Key: key, CopySource: `${bucket}/aside/${key}` }));
    } finally {
      client.destroy();
    }
    const replay = await runCli(["dlq", "replay"], { env });
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toContain("replayed 1 message(s)");
    expect(replay.stdout).toContain("1 dead-lettered key(s) reopened");
    expect((await status()).queues).toMatchObject({ processing: 1, deadLetter: 0 });
    worker = startCli(["worker"], { env });
    await worker.waitFor("worker ready");
    await eventually(async () => (await status()).deduplication?.["completed"] === (before?.["completed"] ?? 0) + 1, 60_000, "the replayed file completed");
    expect(await worker.stop("SIGTERM")).toBe(0);
    worker = undefined;
    const after = await status();
    expect(after.queues).toMatchObject({ processing: 0, deadLetter: 0 });
    expect(after.deduplication?.["dead_lettered"]).toBe(before?.["dead_lettered"] ?? 0);
    const exported = await runCli(["export", "--out", join(work, "training-replay.jsonl")], { env });
    expect(exported.stdout).toContain(`written ${(before?.["completed"] ?? 0) + 1}, dropped 0 duplicate(s)`);
  });

  test("status with an unreachable broker fails with exit code 1 and a masked URL", async () => {
    const port = await freePort();
    const r = await runCli(["status"], { env: { ...env, ETL_RABBITMQ_URL: `amqp://guest:topsecret@127.0.0.1:${port}` } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`amqp://guest:***@127.0.0.1:${port}`);
    expect(r.stderr).not.toContain("topsecret");
  });
});

describe("with the Redis deduplication store", () => {
  const keyPrefix = redisKeyPrefix("worker-cli");
  afterAll(async () => {
    await deleteRedisPrefix(keyPrefix);
  });

  test("the worker claims through Redis and status counts its keys", async () => {
    const redisEnv = { ...env, ETL_DEDUPLICATION_STORE: "redis", ETL_DEDUPLICATION_REDIS_URL: redisUrl, ETL_DEDUPLICATION_REDIS_KEY_PREFIX: keyPrefix };
    const one = join(work, "one");
    mkdirSync(one, { recursive: true });
    const userDir = join(work, "data", "synthetic-user-001");
    const steps = readdirSync(userDir).find((f) => f.startsWith("StepsRecord_"))!;
    copyFileSync(join(userDir, steps), join(one, steps));
    const r = await runCli(["publish", one, "--user", "redis-user"], { env: redisEnv });
    expect(r.code, r.stderr).toBe(0);
    worker = startCli(["worker"], { env: redisEnv });
    await worker.waitFor("worker ready");
    await eventually(async () => (await status(redisEnv)).deduplication?.["completed"] === 1, 60_000, "one completed key in Redis");
    expect(await worker.stop("SIGTERM")).toBe(0);
    worker = undefined;
  });
});
