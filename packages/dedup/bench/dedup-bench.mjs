// Throughput of the deduplication stores (a benchmark, not a test; figures are machine-dependent).
// Run: pnpm --filter @narrative-engine/dedup bench   (builds dist first)
// Options: DEDUP_BENCH_KEYS (default 5000), DEDUP_BENCH_CONCURRENCY (default 32),
//          DEDUP_BENCH_REDIS_URL (default redis://127.0.0.1:6379), DEDUP_BENCH_STORES (sqlite,redis).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { normalizeHealthDataMessage } from "@narrative-engine/contracts";
import { Redis } from "ioredis";
import { RedisDeduplicationStore, SqliteDeduplicationStore } from "../dist/index.js";

const KEYS = Number(process.env.DEDUP_BENCH_KEYS ?? 5_000);
const CONCURRENCY = Number(process.env.DEDUP_BENCH_CONCURRENCY ?? 32);
const REDIS_URL = process.env.DEDUP_BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const STORES = (process.env.DEDUP_BENCH_STORES ?? "sqlite,redis").split(",");
const LEASE_MS = 60_000;
const completion = { processingTimeSeconds: 0.5, recordsProcessed: 100, qualityScore: 0.95, narrative: "x".repeat(400) };

function messagesFor(run) {
  return Array.from({ length: KEYS }, (_, i) => {
    const key = `${run}-${i}`;
    const parsed = normalizeHealthDataMessage({
      bucket: "bench",
      key: `raw/StepsRecord/${key}.avro`,
      user_id: "bench-user",
      record_type: "StepsRecord",
      upload_timestamp_utc: "2026-11-01T00:00:00Z",
      file_size_bytes: 1000,
      idempotency_key: key,
    });
    if (!parsed.success) throw parsed.error;
    return parsed.message;
  });
}

async function timed(label, count, work) {
  const start = performance.now();
  await work();
  const seconds = (performance.now() - start) / 1000;
  return { label, count, seconds, perSecond: Math.round(count / seconds) };
}

async function inParallel(items, limit, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++];
        await work(item);
      }
    }),
  );
}

async function benchStore(name, store) {
  const rows = [];
  const seq = messagesFor(`seq-${randomBytes(3).toString("hex")}`);
  const par = messagesFor(`par-${randomBytes(3).toString("hex")}`);
  await store.ping();
  rows.push(
    await timed("claim (new key), sequential", KEYS, async () => {
      for (const m of seq) if ((await store.tryClaim(m, m.idempotencyKey, "bench", LEASE_MS)).status !== "claimed") throw new Error("not claimed");
    }),
  );
  rows.push(
    await timed("complete, sequential", KEYS, async () => {
      for (const m of seq) if (!(await store.markProcessingCompleted(m.idempotencyKey, "bench", completion))) throw new Error("not completed");
    }),
  );
  rows.push(
    await timed("claim (duplicate), sequential", KEYS, async () => {
      for (const m of seq) if ((await store.tryClaim(m, m.idempotencyKey, "other", LEASE_MS)).status !== "duplicate") throw new Error("not duplicate");
    }),
  );
  rows.push(
    await timed(`claim (new key), ${CONCURRENCY} in flight`, KEYS, () =>
      inParallel(par, CONCURRENCY, async (m) => {
        if ((await store.tryClaim(m, m.idempotencyKey, "bench", LEASE_MS)).status !== "claimed") throw new Error("not claimed");
      }),
    ),
  );
  rows.push(
    await timed(`complete, ${CONCURRENCY} in flight`, KEYS, () =>
      inParallel(par, CONCURRENCY, async (m) => {
        if (!(await store.markProcessingCompleted(m.idempotencyKey, "bench", completion))) throw new Error("not completed");
      }),
    ),
  );
  await store.close();
  return rows.map((r) => ({ store: name, operation: r.label, ops: r.count, seconds: Number(r.seconds.toFixed(2)), "ops/s": r.perSecond }));
}

async function deletePrefix(prefix) {
  const client = new Redis(REDIS_URL);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== "0");
  } finally {
    client.disconnect();
  }
}

const results = [];
if (STORES.includes("sqlite")) {
  const dir = mkdtempSync(join(tmpdir(), "ne-dedup-bench-"));
  try {
    results.push(...(await benchStore("sqlite (WAL, synchronous=NORMAL)", new SqliteDeduplicationStore({ path: join(dir, "bench.db") }))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
if (STORES.includes("redis")) {
  const prefix = `bench:dedup:${randomBytes(4).toString("hex")}:`;
  try {
    results.push(...(await benchStore("redis (Lua, server TIME)", new RedisDeduplicationStore({ url: REDIS_URL, keyPrefix: prefix }))));
  } finally {
    await deletePrefix(prefix);
  }
}
console.log(`dedup bench: ${KEYS} keys per run, node ${process.version}`);
console.table(results);
