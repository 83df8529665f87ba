#!/usr/bin/env node
// Chaos run of the narrative-engine fleet: several `narrative-engine worker` processes with Redis
// dedup consume thousands of messages (real samples, generated files and ~5 % deliberately bad
// ones) while workers are SIGKILLed and replaced, Redis restarts, the workers' broker connections
// are closed, the S3 server goes away and comes back on the same port and the RabbitMQ application
// restarts. At the end it checks that nothing was lost or doubled and prints a report.
//
// Runs the BUILT code only: `pnpm exec turbo run build --filter @narrative-engine/worker...` first.
//   node tooling/chaos/chaos.mjs [--messages 3000] [--workers 3] [--no-broker-restart] [--keep]
// See tooling/chaos/README.md. `runChaos(options)` is also used by apps/worker/test/chaos.test.ts.
import { execFile, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const requireWorker = createRequire(join(repo, "apps/worker/package.json"));
const requireKit = createRequire(join(repo, "tooling/test-kit/package.json"));
const amqp = requireWorker("amqplib");
const { S3Client, PutObjectCommand } = requireWorker("@aws-sdk/client-s3");
const { Redis } = requireKit("ioredis");

const CLI = join(repo, "apps/worker/bin/narrative-engine.js");
const S3_SCRIPT = join(here, "s3-server.mjs");
const SAMPLES = process.env["NE_SAMPLES_DIR"] ?? "/work/shared/samples/health-connect";
const BUCKET = "health-data";
const MAX_FILE_MB = 0.25;

const DEFAULTS = {
  messages: 3000,
  workers: 3,
  badRatio: 0.05,
  generatedUsers: 20,
  /** Messages are published evenly over this window, so the faults hit a fleet that is busy. */
  publishWindowMs: 40_000,
  killEveryMs: 6_000,
  maxKills: Infinity,
  redisRestartAtMs: 8_000,
  redisDownMs: 2_000,
  connectionCloseAtMs: 14_000,
  s3OutageAtMs: 20_000,
  s3DownMs: 4_000,
  brokerRestart: true,
  brokerRestartAtMs: 45_000,
  prefetch: 16,
  leaseSeconds: 3,
  retryDelays: "1,2,4",
  maxRetries: 10,
  timeoutMs: 15 * 60_000,
  rabbitUrl: process.env["TEST_RABBITMQ_URL"] ?? "amqp://guest:guest@127.0.0.1:5672",
  keep: false,
  log: (line) => process.stdout.write(`${line}\n`),
};

/** Child processes of the runs in progress, killed if this process is interrupted. */
const activeRuns = new Set();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");
const deriveKey = (user, hash) => sha256(`${user}:${hash}`).slice(0, 16);

/** A free TCP port on 127.0.0.1 (listen on 0, close). */
export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/** A child process whose output goes to a file; `waitFor(text)` polls that file. */
function startProcess(command, args, { env, logFile, cwd = repo }) {
  const out = createWriteStream(logFile, { flags: "a" });
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  let exited;
  const exit = new Promise((r) =>
    child.on("close", (code, signal) => {
      exited = { code, signal };
      r(exited);
    }),
  );
  const onData = (d) => {
    out.write(d);
    // Only the tail is kept in memory: enough for waitFor().
    text = (text + d.toString("utf8")).slice(-20_000);
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  child.on("close", () => out.end());
  return {
    child,
    pid: child.pid,
    exit,
    get exited() {
      return exited;
    },
    async waitFor(needle, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!text.includes(needle)) {
        if (exited !== undefined) throw new Error(`${basename(logFile)}: exited (${exited.code ?? exited.signal}) before ${JSON.stringify(needle)}`);
        if (Date.now() > deadline) throw new Error(`${basename(logFile)}: timed out waiting for ${JSON.stringify(needle)}`);
        await sleep(100);
      }
    },
    kill(signal = "SIGTERM") {
      if (exited === undefined) child.kill(signal);
      return exit;
    },
  };
}

function runCli(args, env) {
  return execFileAsync(process.execPath, [CLI, ...args], { cwd: repo, env, maxBuffer: 64 * 1024 * 1024 });
}

function* walk(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(p);
    else yield p;
  }
}

const OBJECT_SUFFIX = "._S3rver_object";

/** Training objects in the s3rver folder: idempotency key → paths. */
function trainingObjects(s3Dir) {
  const byKey = new Map();
  for (const p of walk(join(s3Dir, BUCKET, "training"))) {
    if (!p.endsWith(`.jsonl${OBJECT_SUFFIX}`)) continue;
    const key = basename(p).slice(0, -`.jsonl${OBJECT_SUFFIX}`.length);
    byKey.set(key, [...(byKey.get(key) ?? []), p]);
  }
  return byKey;
}

/** Quarantine sidecars in the s3rver folder: idempotency key → metadata. */
function quarantineSidecars(s3Dir, parse = false) {
  const byKey = new Map();
  for (const p of walk(join(s3Dir, BUCKET, "quarantine"))) {
    if (!p.endsWith(`metadata.json${OBJECT_SUFFIX}`)) continue;
    const key = basename(resolve(p, ".."));
    byKey.set(key, parse ? JSON.parse(readFileSync(p, "utf8")) : true);
  }
  return byKey;
}

function percentile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Closes the broker connections of the given worker pids (their connection names carry the pid). */
async function closeWorkerConnections(pids) {
  const { stdout } = await execFileAsync("rabbitmqctl", ["-q", "list_connections", "pid", "client_properties"], { maxBuffer: 16 * 1024 * 1024 });
  const closed = [];
  for (const line of stdout.split("\n")) {
    const pid = /^(<[^>]+>)/.exec(line)?.[1];
    if (pid === undefined) continue;
    if (!pids.some((p) => new RegExp(`narrative-engine worker [^"]*-${p}-[0-9a-f]+`).test(line))) continue;
    await execFileAsync("rabbitmqctl", ["-q", "close_connection", pid, "chaos: connection closed on purpose"]).catch(() => undefined);
    closed.push(pid);
  }
  return closed;
}

/** Builds the message set: good (real samples + generated files × users) and ~badRatio bad ones. */
async function prepareMessages(o, work, s3) {
  const files = [];
  if (existsSync(SAMPLES)) for (const name of readdirSync(SAMPLES).sort()) if (name.endsWith(".avro")) files.push(join(SAMPLES, name));
  const genDir = join(work, "generated");
  await runCli(["generate", "--users", String(o.generatedUsers), "--days", "1", "--seed", "chaos", "--start", "2026-01-05", "--out", genDir], { PATH: process.env["PATH"], HOME: process.env["HOME"] });
  for (const p of walk(genDir)) if (p.endsWith(".avro")) files.push(p);
  const uploads = [];
  const put = async (key, bytes) => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes, ContentType: "application/avro" }));
  };
  for (const [i, file] of files.entries()) {
    const bytes = readFileSync(file);
    const type = basename(file).split("_")[0];
    const key = `raw/${type}/2026/01/05/chaos_${String(i).padStart(4, "0")}_${basename(file)}`;
    await put(key, bytes);
    uploads.push({ key, type, bytes, hash: sha256(bytes), source: file.startsWith(SAMPLES) ? "sample" : "generated" });
  }
  // Bad files: truncated and garbage Avro, and one over the size cap.
  const glucose = uploads.find((u) => u.type === "BloodGlucoseRecord") ?? uploads[0];
  const corrupt = [
    { key: "raw/BloodGlucoseRecord/2026/01/05/chaos_truncated.avro", bytes: glucose.bytes.subarray(0, Math.floor(glucose.bytes.length * 0.6)) },
    { key: "raw/BloodGlucoseRecord/2026/01/05/chaos_garbage.avro", bytes: Buffer.concat([Buffer.from("Obj\x01"), randomBytes(4096)]) },
    { key: "raw/HeartRateRecord/2026/01/05/chaos_random.avro", bytes: randomBytes(2048) },
  ];
  for (const c of corrupt) await put(c.key, c.bytes);
  const big = { key: "raw/StepsRecord/2026/01/05/chaos_oversized.avro", bytes: randomBytes(Math.floor(MAX_FILE_MB * 1024 * 1024) + 50_000) };
  await put(big.key, big.bytes);

  const total = o.messages;
  const badCount = Math.max(7, Math.round(total * o.badRatio));
  const goodCount = total - badCount;
  const messages = [];
  const now = Date.now();
  const body = (u, user, extra = {}) => ({
    bucket: BUCKET,
    key: u.key,
    user_id: user,
    record_type: `Avro${u.type}`,
    upload_timestamp_utc: new Date(now).toISOString(),
    file_size_bytes: u.bytes.length,
    file_hash: u.hash,
    correlation_id: `chaos-${messages.length}`,
    ...extra,
  });
  for (let i = 0; i < goodCount; i += 1) {
    const u = uploads[i % uploads.length];
    const user = `chaos-user-${Math.floor(i / uploads.length)}`;
    const b = body(u, user);
    messages.push({ kind: "good", source: u.source, correlationId: b.correlation_id, idempotencyKey: deriveKey(user, u.hash), routingKey: `health.processing.${u.type.toLowerCase()}`, body: JSON.stringify(b) });
  }
  const BAD_KINDS = ["non_json", "unknown_type", "missing_object", "corrupt_avro", "hash_mismatch", "oversized_body", "oversized_file"];
  for (let i = 0; i < badCount; i += 1) {
    const kind = BAD_KINDS[i % BAD_KINDS.length];
    const user = `chaos-bad-${i}`;
    const u = uploads[i % uploads.length];
    const correlationId = `chaos-${messages.length}`;
    let b;
    let expect;
    let idempotencyKey;
    switch (kind) {
      case "non_json":
        b = `{"bucket": "${BUCKET}", not json ${i} ${randomBytes(8).toString("hex")}`;
        expect = "dlq";
        break;
      case "unknown_type":
        b = JSON.stringify(body(u, user, { record_type: "AvroMoodRecord" }));
        expect = "dlq";
        break;
      case "missing_object": {
        const hash = sha256(`missing-${i}`);
        b = JSON.stringify(body({ ...u, key: `raw/${u.type}/2026/01/05/chaos_missing_${i}.avro`, hash }, user));
        idempotencyKey = deriveKey(user, hash);
        expect = "dlq";
        break;
      }
      case "corrupt_avro": {
        const c = corrupt[i % corrupt.length];
        const type = c.key.split("/")[1];
        const hash = sha256(c.bytes);
        b = JSON.stringify(body({ key: c.key, type, bytes: c.bytes, hash }, user));
        idempotencyKey = deriveKey(user, hash);
        expect = "quarantine";
        break;
      }
      case "hash_mismatch": {
        const hash = sha256(`not-the-file-${i}`);
        b = JSON.stringify(body({ ...u, hash }, user));
        idempotencyKey = deriveKey(user, hash);
        expect = "quarantine";
        break;
      }
      case "oversized_body":
        b = JSON.stringify(body(u, user, { padding: "x".repeat(70 * 1024) }));
        expect = "dlq";
        break;
      case "oversized_file": {
        const hash = sha256(big.bytes);
        b = JSON.stringify(body({ key: big.key, type: "StepsRecord", bytes: big.bytes, hash }, user));
        idempotencyKey = deriveKey(user, hash);
        expect = "quarantine";
        break;
      }
    }
    messages.push({ kind, expect, correlationId, idempotencyKey, routingKey: "health.processing.bloodglucoserecord", body: b });
  }
  // Shuffle so bad messages are spread through the run.
  for (let i = messages.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [messages[i], messages[j]] = [messages[j], messages[i]];
  }
  return { messages, files: files.length, goodCount, badCount };
}

/**
 * Runs the chaos scenario and returns the report. Throws (after cleaning up) when an invariant
 * fails; `report.failures` lists them.
 */
export async function runChaos(options = {}) {
  const o = { ...DEFAULTS, ...options };
  const log = o.log;
  const t0 = Date.now();
  const since = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
  const prefix = `chaos.${randomBytes(4).toString("hex")}`;
  const work = mkdtempSync(join(tmpdir(), "ne-chaos-"));
  const s3Dir = join(work, "s3");
  const names = {
    exchange: `${prefix}.exchange`,
    queue: `${prefix}.processing`,
    dlx: `${prefix}.dlx`,
    dlq: `${prefix}.dlq`,
    retryPrefix: `${prefix}.retry_`,
  };
  const retryQueues = o.retryDelays.split(",").map((s) => `${names.retryPrefix}${s.trim()}s`);
  const events = [];
  const event = (what) => {
    events.push({ at: since(), what });
    log(`[${since()}] ${what}`);
  };
  const procs = { redis: undefined, s3: undefined, workers: [] };
  activeRuns.add(procs);
  const allWorkerLogs = [];
  let workerSeq = 0;
  let stopping = false;
  const failures = [];

  const redisPort = await freePort();
  const s3Port = await freePort();
  const startRedis = async () => {
    procs.redis = startProcess("redis-server", ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", work, "--dbfilename", "chaos.rdb"], { env: process.env, logFile: join(work, "redis.log") });
    await procs.redis.waitFor("Ready to accept connections", 30_000);
  };
  const startS3 = async () => {
    procs.s3 = startProcess(process.execPath, ["--openssl-legacy-provider", S3_SCRIPT, "--port", String(s3Port), "--dir", s3Dir, "--bucket", BUCKET], { env: process.env, logFile: join(work, "s3rver.log") });
    await procs.s3.waitFor("s3rver listening", 60_000);
  };
  const workerEnv = {
    PATH: process.env["PATH"],
    HOME: process.env["HOME"],
    ETL_RABBITMQ_URL: o.rabbitUrl,
    ETL_EXCHANGE_NAME: names.exchange,
    ETL_QUEUE_NAME: names.queue,
    ETL_DEAD_LETTER_EXCHANGE: names.dlx,
    ETL_DEAD_LETTER_QUEUE: names.dlq,
    ETL_RETRY_QUEUE_PREFIX: names.retryPrefix,
    ETL_RETRY_DELAYS: o.retryDelays,
    ETL_MAX_RETRIES: String(o.maxRetries),
    ETL_LEASE_SECONDS: String(o.leaseSeconds),
    ETL_SHUTDOWN_GRACE_SECONDS: "5",
    ETL_PREFETCH_COUNT: String(o.prefetch),
    ETL_PROCESSING_TIMEOUT_SECONDS: "60",
    ETL_S3_ENDPOINT_URL: `http://127.0.0.1:${s3Port}`,
    ETL_S3_ACCESS_KEY: "S3RVER",
    ETL_S3_SECRET_KEY: "S3RVER",
    ETL_S3_BUCKET_NAME: BUCKET,
    ETL_S3_REGION: "us-east-1",
    ETL_DEDUPLICATION_STORE: "redis",
    ETL_DEDUPLICATION_REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    ETL_DEDUPLICATION_REDIS_KEY_PREFIX: `${prefix}:`,
    ETL_MAX_FILE_SIZE_MB: String(MAX_FILE_MB),
    ETL_METRICS_PORT: "0",
    ETL_LOG_LEVEL: "info",
  };
  const startWorker = () => {
    workerSeq += 1;
    const logFile = join(work, `worker-${workerSeq}.log`);
    allWorkerLogs.push(logFile);
    const w = startProcess(process.execPath, [CLI, "worker"], { env: workerEnv, logFile });
    w.name = `worker-${workerSeq}`;
    w.ready = false;
    w.readyPromise = w.waitFor("worker ready", 300_000).then(
      () => (w.ready = true),
      () => false,
    );
    procs.workers.push(w);
    return w;
  };
  const liveWorkers = () => procs.workers.filter((w) => w.exited === undefined);

  let s3;
  let publisher;
  const report = { prefix, work };
  try {
    log(`chaos run ${prefix} in ${work}: ${o.messages} messages, ${o.workers} workers, broker restart ${o.brokerRestart ? "on" : "off"}`);
    await startRedis();
    await startS3();
    s3 = new S3Client({
      endpoint: `http://127.0.0.1:${s3Port}`,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
    const { messages, files, goodCount, badCount } = await prepareMessages(o, work, s3);
    event(`prepared ${messages.length} messages (${goodCount} good from ${files} files, ${badCount} bad)`);

    for (let i = 0; i < o.workers; i += 1) startWorker();
    await Promise.all(procs.workers.map((w) => w.waitFor("worker ready", 120_000)));
    event(`${o.workers} workers ready`);

    // --- publish, spread over the window, while the fault schedule runs ---
    const publishedAt = new Map();
    publisher = await amqp.connect(o.rabbitUrl, { clientProperties: { connection_name: `chaos publisher ${prefix}` } });
    publisher.on("error", () => undefined);
    const channel = await publisher.createConfirmChannel();
    channel.on("error", () => undefined);
    const publishStart = Date.now();
    const publishing = (async () => {
      const batch = 25;
      for (let i = 0; i < messages.length; i += batch) {
        const due = publishStart + (o.publishWindowMs * i) / messages.length;
        if (due > Date.now()) await sleep(due - Date.now());
        for (const m of messages.slice(i, i + batch)) {
          const at = Date.now();
          publishedAt.set(m.correlationId, at);
          channel.publish(names.exchange, m.routingKey, Buffer.from(m.body), { persistent: true, correlationId: m.correlationId, messageId: m.correlationId, timestamp: Math.floor(at / 1000), contentType: "application/json" });
        }
        await channel.waitForConfirms();
      }
      event(`published ${messages.length} messages (all confirmed)`);
      await publisher.close().catch(() => undefined);
      publisher = undefined;
    })();

    const counts = { kills: 0, started: o.workers, redisRestarts: 0, connectionCloses: 0, closedConnections: 0, s3Outages: 0, brokerRestarts: 0 };
    let settled = false;
    const killing = (async () => {
      while (!settled && !stopping && counts.kills < o.maxKills) {
        await sleep(o.killEveryMs * (0.6 + Math.random() * 0.8));
        if (settled || stopping) break;
        // Only a worker that is consuming is a victim; the next kill waits for its replacement to be
        // ready, so the fleet makes progress on a loaded machine where a start takes seconds.
        const live = liveWorkers().filter((w) => w.ready);
        if (live.length === 0) continue;
        const victim = live[Math.floor(Math.random() * live.length)];
        victim.kill("SIGKILL");
        await victim.exit;
        counts.kills += 1;
        const fresh = startWorker();
        counts.started += 1;
        event(`SIGKILL ${victim.name} (pid ${victim.pid}); started ${fresh.name}`);
        await fresh.readyPromise;
      }
    })();
    const at = async (ms) => {
      const wait = publishStart + ms - Date.now();
      if (wait > 0) await sleep(wait);
    };
    const faults = (async () => {
      if (o.redisRestartAtMs !== undefined) {
        await at(o.redisRestartAtMs);
        const client = new Redis(`redis://127.0.0.1:${redisPort}`, { lazyConnect: true, maxRetriesPerRequest: 1 });
        client.on("error", () => undefined);
        await client.connect();
        // SHUTDOWN SAVE writes the RDB first: the restart keeps the claims and records, like a
        // production Redis with persistence; the workers see the outage in between.
        await client.call("SHUTDOWN", "SAVE").catch(() => undefined);
        client.disconnect();
        await procs.redis.exit;
        event("Redis stopped (SHUTDOWN SAVE)");
        await sleep(o.redisDownMs);
        await startRedis();
        counts.redisRestarts += 1;
        event("Redis restarted on the same port");
      }
      if (o.connectionCloseAtMs !== undefined) {
        await at(o.connectionCloseAtMs);
        const closed = await closeWorkerConnections(liveWorkers().map((w) => w.pid));
        counts.connectionCloses += 1;
        counts.closedConnections += closed.length;
        event(`closed ${closed.length} worker broker connection(s) with rabbitmqctl close_connection`);
      }
      if (o.s3OutageAtMs !== undefined) {
        await at(o.s3OutageAtMs);
        await procs.s3.kill("SIGTERM");
        event("S3 server stopped");
        await sleep(o.s3DownMs);
        await startS3();
        counts.s3Outages += 1;
        event("S3 server back on the same port");
      }
      if (o.brokerRestart) {
        await at(o.brokerRestartAtMs);
        await publishing; // the publisher has no retry logic of its own; restart after it finished
        event("RabbitMQ stop_app");
        await execFileAsync("rabbitmqctl", ["-q", "stop_app"]);
        await sleep(2_000);
        await execFileAsync("rabbitmqctl", ["-q", "start_app"]);
        await execFileAsync("rabbitmqctl", ["-q", "await_startup"]).catch(() => undefined);
        counts.brokerRestarts += 1;
        event("RabbitMQ start_app done");
      }
    })();

    // --- wait until everything is accounted for ---
    const good = messages.filter((m) => m.kind === "good");
    const bad = messages.filter((m) => m.kind !== "good");
    const expectDlq = bad.filter((m) => m.expect === "dlq");
    const expectQuarantine = bad.filter((m) => m.expect === "quarantine");
    const depthConn = { conn: undefined };
    const depths = async () => {
      try {
        if (depthConn.conn === undefined) {
          depthConn.conn = await amqp.connect(o.rabbitUrl, { clientProperties: { connection_name: `chaos observer ${prefix}` } });
          depthConn.conn.on("error", () => undefined);
          depthConn.conn.on("close", () => (depthConn.conn = undefined));
        }
        const ch = await depthConn.conn.createChannel();
        ch.on("error", () => undefined);
        const out = {};
        for (const q of [names.queue, ...retryQueues, names.dlq]) out[q] = (await ch.checkQueue(q)).messageCount;
        await ch.close().catch(() => undefined);
        return out;
      } catch {
        return undefined;
      }
    };
    await publishing;
    const deadline = Date.now() + o.timeoutMs;
    let lastProgress = 0;
    for (;;) {
      const training = trainingObjects(s3Dir);
      const quarantined = quarantineSidecars(s3Dir);
      const d = await depths();
      const goodDone = good.filter((m) => training.has(m.idempotencyKey)).length;
      const qDone = expectQuarantine.filter((m) => quarantined.has(m.idempotencyKey)).length;
      const queued = d === undefined ? undefined : [names.queue, ...retryQueues].reduce((s, q) => s + d[q], 0);
      if (Date.now() - lastProgress > 10_000) {
        lastProgress = Date.now();
        log(`[${since()}] progress: training ${goodDone}/${good.length}, quarantine ${qDone}/${expectQuarantine.length}, DLQ ${d?.[names.dlq] ?? "?"}/${expectDlq.length}, queued ${queued ?? "?"}, workers ${liveWorkers().length}`);
      }
      if (goodDone === good.length && qDone === expectQuarantine.length && d !== undefined && d[names.dlq] >= expectDlq.length && queued === 0) break;
      if (Date.now() > deadline) {
        failures.push(`timed out after ${o.timeoutMs} ms: training ${goodDone}/${good.length}, quarantine ${qDone}/${expectQuarantine.length}, DLQ ${d?.[names.dlq]}/${expectDlq.length}, queued ${queued}`);
        break;
      }
      await sleep(2_000);
    }
    const drainedAt = Date.now();
    settled = true;
    await killing;
    await faults;
    event("all messages accounted for; stopping the workers (SIGTERM)");
    stopping = true;
    const exits = await Promise.all(liveWorkers().map((w) => w.kill("SIGTERM")));
    const badExits = exits.filter((e) => e.code !== 0);
    if (badExits.length > 0) failures.push(`${badExits.length} worker(s) did not exit 0 on SIGTERM: ${JSON.stringify(badExits)}`);

    // --- final checks ---
    const training = trainingObjects(s3Dir);
    const quarantined = quarantineSidecars(s3Dir, true);
    const goodKeys = new Set(good.map((m) => m.idempotencyKey));
    const missing = good.filter((m) => !training.has(m.idempotencyKey));
    const doubled = [...training.entries()].filter(([, paths]) => paths.length !== 1);
    const stray = [...training.keys()].filter((k) => !goodKeys.has(k));
    if (missing.length > 0) failures.push(`${missing.length} good message(s) without a training object (e.g. ${missing[0].correlationId})`);
    if (doubled.length > 0) failures.push(`${doubled.length} key(s) with more than one training object`);
    if (stray.length > 0) failures.push(`${stray.length} training object(s) for keys that were not good messages`);
    const quarantineMissing = expectQuarantine.filter((m) => {
      const meta = quarantined.get(m.idempotencyKey);
      return meta === undefined || typeof meta.reason !== "object" && typeof meta.reason !== "string";
    });
    if (quarantineMissing.length > 0) failures.push(`${quarantineMissing.length} bad file(s) not quarantined with a reason (e.g. ${quarantineMissing[0].kind})`);
    const goodQuarantined = good.filter((m) => quarantined.has(m.idempotencyKey));
    if (goodQuarantined.length > 0) failures.push(`${goodQuarantined.length} good message(s) quarantined`);

    // Dead letters: take them off (the run's own DLQ) and match them by correlation id.
    const conn = await amqp.connect(o.rabbitUrl);
    conn.on("error", () => undefined);
    const ch = await conn.createChannel();
    const dlqByCorrelation = new Map();
    let dlqCopies = 0;
    for (;;) {
      const msg = await ch.get(names.dlq, { noAck: true });
      if (msg === false) break;
      dlqCopies += 1;
      const id = msg.properties.correlationId;
      const headers = msg.properties.headers ?? {};
      dlqByCorrelation.set(id, { errorType: String(headers["x-error-type"] ?? ""), message: String(headers["x-error-message"] ?? "") });
    }
    const final = {};
    for (const q of [names.queue, ...retryQueues]) final[q] = (await ch.checkQueue(q)).messageCount;
    await conn.close().catch(() => undefined);
    const dlqMissing = expectDlq.filter((m) => {
      const letter = dlqByCorrelation.get(m.correlationId);
      return letter === undefined || letter.errorType === "" || letter.message === "";
    });
    if (dlqMissing.length > 0) failures.push(`${dlqMissing.length} bad message(s) not in the DLQ with a reason (e.g. ${dlqMissing[0].kind})`);
    const goodInDlq = good.filter((m) => dlqByCorrelation.has(m.correlationId));
    if (goodInDlq.length > 0) failures.push(`${goodInDlq.length} good message(s) dead-lettered (e.g. ${JSON.stringify(dlqByCorrelation.get(goodInDlq[0].correlationId))})`);
    const nonEmpty = Object.entries(final).filter(([, n]) => n !== 0);
    if (nonEmpty.length > 0) failures.push(`queues not empty after the run: ${JSON.stringify(Object.fromEntries(nonEmpty))}`);

    // Dedup counts (the CLI's status command against the run's Redis prefix).
    let dedup = null;
    try {
      const { stdout } = await runCli(["status", "--json"], workerEnv);
      dedup = JSON.parse(stdout).deduplication;
    } catch (error) {
      failures.push(`status failed: ${error.message}`);
    }
    const expectedDedup = {
      completed: good.length,
      quarantined: expectQuarantine.length,
      dead_lettered: expectDlq.filter((m) => m.kind === "missing_object").length,
    };
    if (dedup !== null) {
      for (const [status, n] of Object.entries(expectedDedup)) if ((dedup[status] ?? 0) !== n) failures.push(`dedup ${status}: ${dedup[status] ?? 0}, expected ${n}`);
      for (const status of ["processing", "failed"]) if ((dedup[status] ?? 0) !== 0) failures.push(`dedup ${status}: ${dedup[status]}, expected 0`);
    }

    // Outcomes from the workers' logs (every delivery logs one "message finished" or "message rejected").
    const outcomes = {};
    let crashes = 0;
    for (const file of allWorkerLogs) {
      const text = readFileSync(file, "utf8");
      for (const line of text.split("\n")) {
        if (line.includes('"msg":"message finished"')) {
          const k = /"outcome":"([a-z_]+)"/.exec(line)?.[1] ?? "unknown";
          outcomes[k] = (outcomes[k] ?? 0) + 1;
        } else if (line.includes('"msg":"message rejected"')) outcomes["rejected (dead_letter)"] = (outcomes["rejected (dead_letter)"] ?? 0) + 1;
        else if (/Unhandled|uncaught|FATAL|heap out of memory/i.test(line)) crashes += 1;
      }
    }
    if (crashes > 0) failures.push(`${crashes} crash line(s) in worker logs`);

    // Publish → output latency of good messages (training object's mtime).
    const latencies = good
      .map((m) => {
        const p = training.get(m.idempotencyKey)?.[0];
        return p === undefined ? undefined : statSync(p).mtimeMs - publishedAt.get(m.correlationId);
      })
      .filter((x) => x !== undefined)
      .sort((a, b) => a - b);
    const quarantineReasons = {};
    for (const m of expectQuarantine) {
      const meta = quarantined.get(m.idempotencyKey);
      const r = `${m.kind} → ${meta?.reason?.error_type ?? "?"}`;
      quarantineReasons[r] = (quarantineReasons[r] ?? 0) + 1;
    }
    const dlqReasons = {};
    for (const m of expectDlq) {
      const r = `${m.kind} → ${dlqByCorrelation.get(m.correlationId)?.errorType ?? "missing"}`;
      dlqReasons[r] = (dlqReasons[r] ?? 0) + 1;
    }
    Object.assign(report, {
      ok: failures.length === 0,
      failures,
      messages: { total: messages.length, good: good.length, goodFromSamples: good.filter((m) => m.source === "sample").length, bad: bad.length, expectDlq: expectDlq.length, expectQuarantine: expectQuarantine.length },
      faults: counts,
      events,
      trainingObjects: training.size,
      quarantined: quarantined.size,
      deadLetters: { distinct: dlqByCorrelation.size, copies: dlqCopies },
      quarantineReasons,
      dlqReasons,
      finalQueues: final,
      dedup,
      expectedDedup,
      outcomes,
      latencyMs: { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), max: latencies.at(-1) },
      wallSeconds: (drainedAt - publishStart) / 1000,
      throughputPerSecond: Math.round((messages.length / ((drainedAt - publishStart) / 1000)) * 10) / 10,
    });
    return report;
  } finally {
    stopping = true;
    await Promise.all(procs.workers.map((w) => w.kill("SIGKILL")));
    await publisher?.close().catch(() => undefined);
    s3?.destroy();
    // Delete the run's topology.
    try {
      const conn = await amqp.connect(o.rabbitUrl);
      conn.on("error", () => undefined);
      for (const q of [names.queue, ...retryQueues, names.dlq]) {
        const ch = await conn.createChannel();
        ch.on("error", () => undefined);
        await ch.deleteQueue(q).catch(() => undefined);
        await ch.close().catch(() => undefined);
      }
      for (const x of [names.exchange, names.dlx]) {
        const ch = await conn.createChannel();
        ch.on("error", () => undefined);
        await ch.deleteExchange(x).catch(() => undefined);
        await ch.close().catch(() => undefined);
      }
      await conn.close().catch(() => undefined);
    } catch {
      // the broker may be down if the run failed mid-restart; names are unique per run
    }
    await procs.redis?.kill("SIGKILL");
    await procs.s3?.kill("SIGTERM");
    activeRuns.delete(procs);
    if (report.ok === true && !o.keep) rmSync(work, { recursive: true, force: true });
    else log(`kept the run's folder (logs, s3 data): ${work}`);
  }
}

/** The report as text. */
export function formatReport(r) {
  const lines = [];
  lines.push(`chaos run ${r.prefix}: ${r.ok ? "PASSED" : "FAILED"}`);
  lines.push(`messages: ${r.messages.total} (${r.messages.good} good, ${r.messages.goodFromSamples} of them real samples; ${r.messages.bad} bad: ${r.messages.expectDlq} → DLQ, ${r.messages.expectQuarantine} → quarantine)`);
  lines.push(`faults: ${r.faults.kills} SIGKILLs (${r.faults.started} workers started), ${r.faults.redisRestarts} Redis restart(s), ${r.faults.connectionCloses} connection close(s) (${r.faults.closedConnections} connections), ${r.faults.s3Outages} S3 outage(s), ${r.faults.brokerRestarts} RabbitMQ restart(s)`);
  lines.push(`training objects: ${r.trainingObjects} (one per good message)`);
  lines.push(`quarantined: ${r.quarantined} — ${Object.entries(r.quarantineReasons).map(([k, v]) => `${k}: ${v}`).join(", ")}`);
  lines.push(`dead letters: ${r.deadLetters.distinct} distinct, ${r.deadLetters.copies} copies — ${Object.entries(r.dlqReasons).map(([k, v]) => `${k}: ${v}`).join(", ")}`);
  lines.push(`queues after the run: ${JSON.stringify(r.finalQueues)}`);
  lines.push(`dedup: ${JSON.stringify(r.dedup)} (expected ${JSON.stringify(r.expectedDedup)})`);
  lines.push(`deliveries by outcome (worker logs): ${JSON.stringify(r.outcomes)}`);
  lines.push(`publish → training object: p50 ${Math.round(r.latencyMs.p50)} ms, p95 ${Math.round(r.latencyMs.p95)} ms, worst ${Math.round(r.latencyMs.max)} ms`);
  lines.push(`wall time from first publish to drained: ${r.wallSeconds.toFixed(1)} s (${r.throughputPerSecond} msg/s)`);
  if (!r.ok) for (const f of r.failures) lines.push(`FAILURE: ${f}`);
  return lines.join("\n");
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === "--no-broker-restart") out.brokerRestart = false;
    else if (a === "--keep") out.keep = true;
    else if (a === "--messages") out.messages = Number(argv[++i]);
    else if (a === "--workers") out.workers = Number(argv[++i]);
    else if (a === "--publish-window") out.publishWindowMs = Number(argv[++i]) * 1000;
    else if (a === "--json") out.json = true;
    else if (a === "--help" || a === "-h") {
      process.stdout.write("usage: node tooling/chaos/chaos.mjs [--messages N] [--workers N] [--publish-window SECONDS] [--no-broker-restart] [--keep] [--json]\n");
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return out;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { json, ...opts } = parseArgs(process.argv.slice(2));
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, () => {
      for (const procs of activeRuns) for (const p of [...procs.workers, procs.redis, procs.s3]) p?.child.kill("SIGKILL");
      process.exit(130);
    });
  }
  const report = await runChaos(opts);
  process.stdout.write(`\n${formatReport(report)}\n`);
  if (json) writeFileSync(join(here, "last-run.json"), `${JSON.stringify(report, null, 2)}\n`);
  process.exitCode = report.ok ? 0 : 1;
}
