import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import type { RecordType } from "@narrative-engine/contracts";
import { createObjectStore, type ObjectStore } from "@narrative-engine/storage";
import { closedPort, deleteTopology, describeWithSamples, freePort, rabbitUrl, readSample, startS3Server, uniquePrefix, type TestS3Server } from "@narrative-engine/test-kit";
import amqp from "amqplib";
import { afterAll, beforeAll, expect, test } from "vitest";
import { producerMessage, rawObjectKey } from "../src/producer-message.ts";
import { cleanEnv, eventually, requireBuiltCli, startCli, type RunningCli } from "./cli-process.ts";
import { trainingObjects } from "./s3rver-files.ts";

// Telemetry of the real worker process: /metrics counters per outcome, /ready around the broker
// connection, what its log lines carry (and never carry), and spans exported over OTLP/HTTP
// that continue the producer's trace.

requireBuiltCli();

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), "ne-worker-telemetry-"));
const prefix = uniquePrefix("worker-telemetry");
const bucket = "health-data";
const user = "telemetry-user";
const names = {
  exchange: `${prefix}.exchange`,
  queue: `${prefix}.processing`,
  dlx: `${prefix}.dlx`,
  dlq: `${prefix}.dlq`,
  retry: [`${prefix}.retry_1s`],
};
let s3: TestS3Server;
let store: ObjectStore;
let env: Record<string, string>;
let metricsPort: number;
let worker: RunningCli | undefined;
let otlp: Server;
const otlpBodies: Buffer[] = [];
const otlpRequests: string[] = [];

beforeAll(async () => {
  s3 = await startS3Server({ buckets: [bucket] });
  store = createObjectStore({ kind: "s3", endpoint: s3.endpoint, region: s3.region, forcePathStyle: true, credentials: s3.credentials });
  metricsPort = await freePort();
  // A tiny OTLP/HTTP collector: keeps every body the exporter sends (protobuf by default).
  otlp = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      otlpBodies.push(req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw);
      otlpRequests.push(`${req.method} ${req.url} ${req.headers["content-type"]} ${req.headers["content-encoding"]} ${raw.length}`);
      res.writeHead(200, { "content-type": req.headers["content-type"] ?? "application/x-protobuf" }).end();
    });
  });
  await new Promise<void>((r) => otlp.listen(0, "127.0.0.1", r));
  const address = otlp.address();
  const otlpPort = typeof address === "object" && address !== null ? address.port : 0;
  env = cleanEnv({
    ETL_RABBITMQ_URL: rabbitUrl,
    ETL_EXCHANGE_NAME: names.exchange,
    ETL_QUEUE_NAME: names.queue,
    ETL_DEAD_LETTER_EXCHANGE: names.dlx,
    ETL_DEAD_LETTER_QUEUE: names.dlq,
    ETL_RETRY_QUEUE_PREFIX: `${prefix}.retry_`,
    ETL_RETRY_DELAYS: "1",
    ETL_MAX_RETRIES: "5",
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
    ETL_TRACING_ENABLED: "true",
    ETL_OTLP_ENDPOINT: `http://127.0.0.1:${otlpPort}/v1/traces`,
    ETL_SERVICE_NAME: "ne-telemetry-test",
  });
});

afterAll(async () => {
  await worker?.stop("SIGKILL");
  await deleteTopology({ queues: [names.queue, ...names.retry, names.dlq], exchanges: [names.exchange, names.dlx] });
  await store?.close();
  await s3?.close();
  await new Promise<void>((r) => (otlp === undefined ? r() : otlp.close(() => r())));
  rmSync(work, { recursive: true, force: true });
});

/** Sum of the samples of `name` whose labels include all of `labels`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m?.[1] !== name) continue;
    const have = new Map([...(m[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have.get(k) === v)) total += Number(m[3]);
  }
  return total;
}

async function scrape(): Promise<string> {
  const r = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
  expect(r.status).toBe(200);
  return r.text();
}

async function readyStatus(port = metricsPort): Promise<number> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/ready`)).status;
  } catch {
    return -1;
  }
}

/** Waits until the scrape satisfies `fn`, returning that scrape. */
async function metricsUntil(fn: (text: string) => boolean, what: string, timeoutMs = 60_000): Promise<string> {
  let last = "";
  await eventually(async () => fn((last = await scrape())), timeoutMs, what);
  return last;
}

/** Uploads `bytes` like the producer and publishes its message (with `headers`); returns the message body. */
async function uploadAndPublish(recordType: RecordType, bytes: Uint8Array | undefined, headers: Record<string, unknown> = {}, uploadedAtMs = Date.now()) {
  const key = rawObjectKey(recordType, user, uploadedAtMs);
  const body = producerMessage({ bucket, key, userId: user, recordType, bytes: bytes ?? randomBytes(64), uploadedAtMs });
  if (bytes !== undefined) await store.put(bucket, key, bytes);
  await publish(body, recordType, headers);
  return body;
}

async function publish(body: object, recordType: RecordType, headers: Record<string, unknown> = {}): Promise<void> {
  const conn = await amqp.connect(rabbitUrl);
  try {
    const ch = await conn.createConfirmChannel();
    ch.publish(names.exchange, `health.processing.${recordType.toLowerCase()}`, Buffer.from(JSON.stringify(body)), {
      persistent: true,
      timestamp: Math.floor(Date.now() / 1000),
      headers,
    });
    await ch.waitForConfirms();
    await ch.close();
  } finally {
    await conn.close();
  }
}

/** The worker's own broker connection(s): those whose connection name is the consumer's for this pid. */
async function closeWorkerConnection(pid: number): Promise<number> {
  const { stdout } = await run("rabbitmqctl", ["list_connections", "pid", "client_properties", "-q"]);
  const pids = stdout
    .split("\n")
    .filter((line) => new RegExp(`\\{"connection_name","narrative-engine worker [^"]*-${pid}-[0-9a-f]+"\\}`).test(line))
    .map((line) => line.split("\t")[0] ?? "")
    .filter((p) => p.startsWith("<"));
  for (const p of pids) await run("rabbitmqctl", ["close_connection", p, "closed by telemetry test"]);
  return pids.length;
}

test("/ready is 503 and etl_rabbitmq_connected 0 while the broker cannot be reached; SIGTERM still exits 0", async () => {
  const port = await freePort();
  const down = startCli(["worker"], { env: { ...env, ETL_RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:${await closedPort()}`, ETL_METRICS_PORT: String(port), ETL_TRACING_ENABLED: "false" } });
  try {
    await down.waitFor("telemetry server listening", 60_000);
    const r = await fetch(`http://127.0.0.1:${port}/ready`);
    expect(r.status).toBe(503);
    expect(((await r.json()) as { failing: string[] }).failing).toContain("rabbitmq");
    expect((await fetch(`http://127.0.0.1:${port}/live`)).status).toBe(200);
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(sample(text, "etl_rabbitmq_connected")).toBe(0);
    expect(await down.stop("SIGTERM")).toBe(0);
  } finally {
    await down.stop("SIGKILL");
  }
});

describeWithSamples("a running worker's metrics, readiness, logs and traces", () => {
  const traceId = randomBytes(16).toString("hex");
  const sampleName = "StepsRecord_1758407139312.avro";
  let completedBody: ReturnType<typeof producerMessage>;

  test("starts, is ready and reports the broker connection and queue depths", async () => {
    worker = startCli(["worker"], { env });
    await worker.waitFor("worker ready");
    expect(await readyStatus()).toBe(200);
    const text = await metricsUntil((t) => sample(t, "etl_rabbitmq_connected") === 1, "etl_rabbitmq_connected 1");
    expect(sample(text, "etl_service_info", { service: "ne-telemetry-test" })).toBe(1);
    expect(text).toMatch(new RegExp(`etl_queue_depth\\{[^}]*queue="${names.queue.replace(/\./g, "\\.")}"[^}]*\\} 0`));
    expect(text).toMatch(new RegExp(`etl_queue_depth\\{[^}]*queue="${names.dlq.replace(/\./g, "\\.")}"`));
  });

  test("a real file completes (traced from the producer's traceparent); published again it is a duplicate", async () => {
    const bytes = readSample(sampleName);
    completedBody = await uploadAndPublish("StepsRecord", bytes, { traceparent: `00-${traceId}-${randomBytes(8).toString("hex")}-01` });
    let text = await metricsUntil((t) => sample(t, "etl_messages_processed_total", { record_type: "StepsRecord", status: "completed" }) === 1, "one completed");
    expect(sample(text, "etl_training_data_generated_total", { record_type: "StepsRecord" })).toBe(1);
    expect(sample(text, "etl_avro_records_parsed_total", { record_type: "StepsRecord" })).toBeGreaterThan(0);
    expect(sample(text, "etl_validation_quality_score_count")).toBe(1);
    expect(sample(text, "etl_processing_duration_seconds_count", { record_type: "StepsRecord" })).toBe(1);
    expect(sample(text, "etl_stage_duration_seconds_count", { stage: "output" })).toBe(1);
    expect(sample(text, "etl_message_lag_seconds_count")).toBe(1);
    expect(sample(text, "etl_messages_in_progress")).toBe(0);
    await publish(completedBody, "StepsRecord");
    text = await metricsUntil((t) => sample(t, "etl_duplicate_messages_total") === 1, "one duplicate");
    expect(sample(text, "etl_messages_processed_total", { record_type: "StepsRecord", status: "duplicate" })).toBe(1);
    expect(sample(text, "etl_messages_processed_total", { status: "completed" })).toBe(1);
    expect(text).not.toContain(user);
    expect(text).not.toContain(completedBody.correlation_id);
  });

  test("a missing object is dead-lettered with reason not_found; a corrupt Avro file is quarantined", async () => {
    await uploadAndPublish("HeartRateRecord", undefined);
    let text = await metricsUntil((t) => sample(t, "etl_dead_letter_messages_total", { reason: "not_found" }) === 1, "one not_found dead letter");
    expect(sample(text, "etl_messages_processed_total", { record_type: "HeartRateRecord", status: "dead_lettered" })).toBe(1);
    expect(sample(text, "etl_processing_errors_total", { error_type: "not_found" })).toBe(1);
    const corrupt = Buffer.concat([Buffer.from("Obj\u0001", "latin1"), randomBytes(512)]);
    await uploadAndPublish("SleepSessionRecord", corrupt);
    text = await metricsUntil((t) => sample(t, "etl_records_quarantined_total", { record_type: "SleepSessionRecord" }) === 1, "one quarantined file");
    expect(sample(text, "etl_messages_processed_total", { record_type: "SleepSessionRecord", status: "quarantined" })).toBe(1);
    await metricsUntil((t) => new RegExp(`etl_queue_depth\\{[^}]*queue="${names.dlq.replace(/\./g, "\\.")}"[^}]*\\} 1`).test(t), "a DLQ depth of 1");
  });

  test("a download while S3 is down is retried (1 s tier) and completes once S3 is back", async () => {
    const type: RecordType = "HeartRateVariabilityRmssdRecord";
    const bytes = readSample("HeartRateVariabilityRmssdRecord_1758407139312.avro");
    const uploadedAtMs = Date.now();
    const key = rawObjectKey(type, user, uploadedAtMs);
    await store.put(bucket, key, bytes);
    await s3.stop();
    try {
      await publish(producerMessage({ bucket, key, userId: user, recordType: type, bytes, uploadedAtMs }), type);
      const text = await metricsUntil((t) => sample(t, "etl_retry_attempts_total", { record_type: type }) >= 1, "a retry scheduled");
      expect(sample(text, "etl_retry_attempts_total", { record_type: type, retry_number: "1" })).toBe(1);
      expect(sample(text, "etl_messages_processed_total", { record_type: type, status: "retried" })).toBeGreaterThanOrEqual(1);
    } finally {
      await s3.start();
    }
    const text = await metricsUntil((t) => sample(t, "etl_messages_processed_total", { record_type: type, status: "completed" }) === 1, "the retried file completed");
    expect(sample(text, "etl_messages_processed_total", { record_type: type, status: "dead_lettered" })).toBe(0);
  });

  test("the worker's own connection closed by the broker: /ready turns 503, then recovers to 200 with etl_rabbitmq_connected 1", async () => {
    const pid = worker?.child.pid;
    expect(pid).toBeDefined();
    expect(await closeWorkerConnection(pid ?? 0)).toBeGreaterThan(0);
    await eventually(async () => (await readyStatus()) === 503, 30_000, "/ready 503 after the connection closed");
    await eventually(async () => (await readyStatus()) === 200, 60_000, "/ready 200 again");
    await metricsUntil((t) => sample(t, "etl_rabbitmq_connected") === 1, "etl_rabbitmq_connected back to 1");
  });

  test("log lines carry the correlation fields and no narrative, user id or credentials; spans continue the producer's trace", async () => {
    expect(await worker?.stop("SIGTERM")).toBe(0);
    const output = worker?.output() ?? "";
    worker = undefined;
    const lines = output.split("\n").filter((l) => l.trim() !== "");
    // stdout is JSON lines; stderr (collected alongside) may carry Node's warnings.
    const records = lines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.length).toBeGreaterThan(10);
    const mine = records.filter((r) => r["correlation_id"] === completedBody.correlation_id);
    expect(mine.length).toBeGreaterThan(0);
    for (const r of mine) {
      expect(r["idempotency_key"]).toMatch(/^[0-9a-f]{16}$/);
      expect(r["record_type"]).toBe("StepsRecord");
    }
    // The observer's outcome line carries the ids too (the consumer passes them at start).
    expect(mine.some((r) => r["outcome"] === "completed" && r["status"] === "completed")).toBe(true);
    const objects = trainingObjects(s3.directory, bucket);
    const idempotencyKey = String(mine[0]?.["idempotency_key"]);
    const written = objects.get(idempotencyKey);
    expect(written).toHaveLength(1);
    const example = JSON.parse((written?.[0] ?? "").split("\n")[0] ?? "{}") as { output: string };
    expect(example.output.length).toBeGreaterThan(40);
    for (const l of lines) {
      expect(l).not.toContain(example.output);
      expect(l).not.toContain(example.output.slice(0, 40));
      expect(l).not.toContain(user);
      expect(l).not.toContain(s3.credentials.secretAccessKey);
      expect(l).not.toContain("guest:guest");
    }
    // Spans were exported on shutdown (batch processor flush) to the OTLP/HTTP endpoint. The http
    // exporter sends JSON (trace id as hex); a protobuf body would carry its 16 raw bytes: accept both.
    const traceBytes = Buffer.from(traceId, "hex");
    const carries = (b: Buffer) => b.includes(traceBytes) || b.includes(Buffer.from(traceId));
    await eventually(async () => Promise.resolve(otlpBodies.some(carries)), 10_000, `an exported span with the producer's trace id (requests: ${otlpRequests.join("; ")})`);
    const withTrace = otlpBodies.filter(carries);
    expect(withTrace.some((b) => b.includes(Buffer.from("narrative-engine.process_message")))).toBe(true);
    expect(withTrace.some((b) => b.includes(Buffer.from("narrative-engine.download")))).toBe(true);
    for (const b of otlpBodies) expect(b.includes(Buffer.from(user))).toBe(false);
  });
});

