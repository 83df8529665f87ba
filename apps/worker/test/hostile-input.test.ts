import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { decodeHealthConnect, encodeHealthConnect } from "@narrative-engine/avro";
import type { RecordOf } from "@narrative-engine/contracts";
import { sha256Hex } from "@narrative-engine/storage";
import { deleteTopology, describeWithSamples, rabbitUrl, readSample, sampleFiles, samplesAvailable, startS3Server, uniquePrefix, type TestS3Server } from "@narrative-engine/test-kit";
import amqp from "amqplib";
import { afterAll, beforeAll, expect, test } from "vitest";
import { cleanEnv, eventually, requireBuiltCli, startCli, type RunningCli } from "./cli-process.ts";
import { hostileBodies, MESSAGE_CAP } from "./hostile-bodies.ts";
import { quarantineSidecars } from "./s3rver-files.ts";
import { containerLayout, varint } from "./avro-forgery.ts";

requireBuiltCli();

// 10,000 hostile message bodies and memory-exhausting Avro files through the real worker process.
const HOSTILE = 10_000;
const work = mkdtempSync(join(tmpdir(), "ne-hostile-"));
const prefix = uniquePrefix("hostile");
const bucket = "health-data";
const foreignBucket = "other-bucket";
const names = {
  exchange: `${prefix}.exchange`,
  queue: `${prefix}.processing`,
  dlx: `${prefix}.dlx`,
  dlq: `${prefix}.dlq`,
  retry: [`${prefix}.retry_1s`, `${prefix}.retry_2s`],
};
let s3: TestS3Server;
let proxy: Server;
/** Every request the worker sent to S3 (method and path), recorded by a pass-through proxy. */
const s3Requests: string[] = [];
let worker: RunningCli | undefined;
const rss: number[] = [];
let sampler: NodeJS.Timeout | undefined;

function rssOf(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m === null ? undefined : Number(m[1]) * 1024;
  } catch {
    return undefined;
  }
}

/** Forwards every request to s3rver unchanged (Host header included, so signatures hold) and records it. */
function startRecordingProxy(target: number): Promise<number> {
  proxy = createServer((req, res) => {
    s3Requests.push(`${req.method ?? "?"} ${req.url ?? ""}`);
    const upstream = request({ host: "127.0.0.1", port: target, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve) => proxy.listen(0, "127.0.0.1", () => resolve((proxy.address() as { port: number }).port)));
}

interface ForgedFile {
  readonly name: string;
  readonly bytes: Buffer;
  readonly recordType: "BloodGlucoseRecord" | "HeartRateRecord";
}

/** Avro files whose counts and lengths would make a naive decoder allocate gigabytes. */
function forgedFiles(): ForgedFile[] {
  const glucoseFile = readSample(sampleFiles("BloodGlucoseRecord")[0]!.name);
  const glucose = decodeHealthConnect(glucoseFile);
  const one = encodeHealthConnect("BloodGlucoseRecord", [glucose.records[0] as RecordOf<"BloodGlucoseRecord">]);
  const { dataStart, sync } = containerLayout(one);
  const header = one.subarray(0, dataStart);
  // The one block: count, size, data, sync.
  const afterCount = dataStart + varint(1).length;
  let pos = afterCount;
  let size = 0;
  let shift = 0;
  for (;;) {
    const b = one[pos++]!;
    size += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) break;
  }
  size /= 2;
  const data = one.subarray(pos, pos + size);
  const block = (count: bigint, payload: Buffer) => Buffer.concat([varint(count), varint(payload.length), payload, sync]);

  const heartFile = readSample(sampleFiles("HeartRateRecord")[0]!.name);
  const heart = decodeHealthConnect(heartFile).records[0] as RecordOf<"HeartRateRecord">;
  const heartOne = encodeHealthConnect("HeartRateRecord", [{ ...heart, samples: [] }]);
  const hLayout = containerLayout(heartOne);
  let hp = hLayout.dataStart + varint(1).length;
  let hSize = 0;
  shift = 0;
  for (;;) {
    const b = heartOne[hp++]!;
    hSize += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) break;
  }
  hSize /= 2;
  const hData = heartOne.subarray(hp, hp + hSize);
  // samples is the record's last field: its terminating 0 count is the data's last byte.
  const hForged = Buffer.concat([hData.subarray(0, hData.length - 1), varint(3_000_000_000n)]);
  return [
    { name: "block-count-4-billion", recordType: "BloodGlucoseRecord", bytes: Buffer.concat([header, block(4_000_000_000n, data)]) },
    { name: "block-count-2-52", recordType: "BloodGlucoseRecord", bytes: Buffer.concat([header, block(2n ** 52n, data)]) },
    { name: "string-beyond-file", recordType: "BloodGlucoseRecord", bytes: Buffer.concat([header, block(1n, Buffer.concat([varint(2n ** 40n), Buffer.from("abc")]))]) },
    { name: "block-size-beyond-file", recordType: "BloodGlucoseRecord", bytes: Buffer.concat([header, varint(1), varint(2n ** 45n), data.subarray(0, 20)]) },
    {
      name: "array-count-3-billion",
      recordType: "HeartRateRecord",
      bytes: Buffer.concat([heartOne.subarray(0, hLayout.dataStart), Buffer.concat([varint(1), varint(hForged.length), hForged, hLayout.sync])]),
    },
    { name: "header-map-5-billion", recordType: "BloodGlucoseRecord", bytes: Buffer.concat([Buffer.from("Obj\x01", "latin1"), varint(5_000_000_000n), Buffer.alloc(64)]) },
  ];
}

beforeAll(async () => {
  s3 = await startS3Server({ buckets: [bucket, foreignBucket] });
  const proxyPort = await startRecordingProxy(s3.port);
  const client = new S3Client({ endpoint: s3.endpoint, region: s3.region, forcePathStyle: true, credentials: s3.credentials, requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED" });
  // A perfectly good file in a bucket the worker may not read: a fetch would succeed, so only the proxy log shows it never happened.
  if (samplesAvailable) {
    await client.send(new PutObjectCommand({ Bucket: foreignBucket, Key: "raw/BloodGlucoseRecord/2026/01/05/victim.avro", Body: readSample(sampleFiles("BloodGlucoseRecord")[0]!.name) }));
  }
  client.destroy();
  env = cleanEnv({
    ETL_RABBITMQ_URL: rabbitUrl,
    ETL_EXCHANGE_NAME: names.exchange,
    ETL_QUEUE_NAME: names.queue,
    ETL_DEAD_LETTER_EXCHANGE: names.dlx,
    ETL_DEAD_LETTER_QUEUE: names.dlq,
    ETL_RETRY_QUEUE_PREFIX: `${prefix}.retry_`,
    ETL_RETRY_DELAYS: "1,2",
    ETL_S3_ENDPOINT_URL: `http://127.0.0.1:${proxyPort}`,
    ETL_S3_ACCESS_KEY: s3.credentials.accessKeyId,
    ETL_S3_SECRET_KEY: s3.credentials.secretAccessKey,
    ETL_S3_BUCKET_NAME: bucket,
    ETL_S3_ALLOWED_BUCKETS: bucket,
    ETL_S3_REGION: s3.region,
    ETL_DEDUPLICATION_DB_PATH: join(work, "dedup.sqlite"),
    ETL_METRICS_PORT: "0",
    ETL_LOG_LEVEL: "info",
    ETL_SHUTDOWN_GRACE_SECONDS: "5",
    ETL_PREFETCH_COUNT: "64",
  });
}, 60_000);
let env: Record<string, string>;

afterAll(async () => {
  if (sampler !== undefined) clearInterval(sampler);
  await worker?.stop("SIGKILL");
  await deleteTopology({ queues: [names.queue, ...names.retry, names.dlq], exchanges: [names.exchange, names.dlx] });
  await new Promise((r) => proxy?.close(r));
  await s3?.close();
  rmSync(work, { recursive: true, force: true });
}, 60_000);

describeWithSamples("hostile input through the real worker process", () => {
  test(
    `${HOSTILE.toLocaleString("en")} hostile bodies are each dead-lettered with a reason; forged Avro files are quarantined; the worker survives in bounded memory; a foreign bucket is never fetched`,
    async () => {
      worker = startCli(["worker"], { env });
      await worker.waitFor("worker ready", 120_000);
      const pid = worker.child.pid!;
      sampler = setInterval(() => {
        const v = rssOf(pid);
        if (v !== undefined) rss.push(v);
      }, 250);
      const baseline = rssOf(pid)!;

      const forged = forgedFiles();
      const client = new S3Client({ endpoint: s3.endpoint, region: s3.region, forcePathStyle: true, credentials: s3.credentials, requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED" });
      const forgedMessages = [];
      for (const [i, f] of forged.entries()) {
        const key = `raw/${f.recordType}/2026/01/05/forged-${f.name}.avro`;
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: f.bytes }));
        const hash = sha256Hex(f.bytes);
        forgedMessages.push({
          name: f.name,
          idempotencyKey: `forged${String(i).padStart(10, "0")}`,
          body: JSON.stringify({ bucket, key, user_id: `forged-${i}`, record_type: f.recordType, upload_timestamp_utc: "2026-01-05T10:00:00Z", file_size_bytes: f.bytes.length, content_hash: hash, idempotency_key: `forged${String(i).padStart(10, "0")}`, message_id: `forged-${f.name}` }),
        });
      }
      client.destroy();

      const bodies = hostileBodies(HOSTILE, { bucket, foreignBucket, foreignKey: "raw/BloodGlucoseRecord/2026/01/05/victim.avro" });
      const conn = await amqp.connect(rabbitUrl);
      try {
        const ch = await conn.createConfirmChannel();
        for (const m of forgedMessages) ch.publish(names.exchange, "health.processing.forged", Buffer.from(m.body), { persistent: true, messageId: m.name, correlationId: m.name });
        for (const [i, b] of bodies.entries()) {
          ch.publish(names.exchange, "health.processing.hostile", b.body, { persistent: true, correlationId: `h-${i}`, messageId: `h-${i}` });
          if (i % 500 === 499) await ch.waitForConfirms();
        }
        await ch.waitForConfirms();
        await ch.close();

        // Every hostile body dead-lettered, every forged file quarantined.
        await eventually(
          async () => {
            const c = await conn.createChannel();
            const dlq = await c.checkQueue(names.dlq);
            await c.close();
            return dlq.messageCount >= HOSTILE && quarantineSidecars(s3.directory, bucket).size >= forged.length;
          },
          600_000,
          "every hostile body in the DLQ and every forged file quarantined",
        );
        expect(worker.child.exitCode, "the worker never crashed").toBeNull();

        const letters = new Map<string, { errorType: string; message: string }>();
        const drain = await conn.createChannel();
        for (;;) {
          const msg = await drain.get(names.dlq, { noAck: true });
          if (msg === false) break;
          const h = msg.properties.headers ?? {};
          letters.set(String(msg.properties.correlationId), { errorType: String(h["x-error-type"] ?? ""), message: String(h["x-error-message"] ?? "") });
        }
        const processing = await drain.checkQueue(names.queue);
        await drain.close();
        expect(processing.messageCount).toBe(0);

        const missing: string[] = [];
        const byCategory: Record<string, number> = {};
        for (const [i, b] of bodies.entries()) {
          const letter = letters.get(`h-${i}`);
          if (letter === undefined || letter.errorType === "" || letter.message === "") {
            missing.push(`${b.category} #${i}`);
            continue;
          }
          expect(letter.errorType, `${b.category} #${i}`).toBe("validation_error");
          if (b.body.length > MESSAGE_CAP) expect(letter.message, `${b.category} #${i}`).toMatch(/over the 65536-byte limit/);
          byCategory[b.category] = (byCategory[b.category] ?? 0) + 1;
        }
        expect(missing, "hostile bodies without a dead letter and reason").toEqual([]);
        // Forged files: quarantined as schema errors, never dead-lettered or processed.
        const sidecars = quarantineSidecars(s3.directory, bucket);
        for (const m of forgedMessages) {
          const meta = sidecars.get(m.idempotencyKey) as { reason?: { error_type?: string } } | undefined;
          expect(meta?.reason?.error_type, m.name).toBe("schema_error");
          expect(letters.has(m.name), m.name).toBe(false);
        }
        // The foreign bucket was never asked for anything.
        expect(s3Requests.filter((r) => r.includes(foreignBucket))).toEqual([]);
        expect(s3Requests.some((r) => r.startsWith(`GET /${bucket}/raw/`))).toBe(true); // the proxy did see the forged downloads
        // Memory stays bounded: generous, not a timing.
        const peak = Math.max(...rss);
        console.info(`hostile input: ${letters.size} dead letters ${JSON.stringify(byCategory)}; worker RSS baseline ${(baseline / 2 ** 20).toFixed(0)} MiB, peak ${(peak / 2 ** 20).toFixed(0)} MiB over ${rss.length} samples`);
        expect(peak).toBeLessThan(768 * 2 ** 20);
        expect(peak - baseline).toBeLessThan(512 * 2 ** 20);
        clearInterval(sampler);
        sampler = undefined;
        expect(await worker.stop("SIGTERM")).toBe(0);
        worker = undefined;
      } finally {
        await conn.close().catch(() => undefined);
      }
    },
    900_000,
  );
});
