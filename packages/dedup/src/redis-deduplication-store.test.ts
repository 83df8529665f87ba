import { spawn } from "node:child_process";
import { closedPort, deleteRedisPrefix, freePort, redisKeyPrefix, redisUrl } from "@narrative-engine/test-kit";
import { Redis } from "ioredis";
import { afterAll, describe, expect, test } from "vitest";
import { describeDeduplicationStoreConformance, testMessage } from "../test/deduplication-store-conformance.ts";
import { RedisDeduplicationStore } from "./redis-deduplication-store.ts";

const filePrefix = redisKeyPrefix("dedup-redis");
let testNumber = 0;
let current = `${filePrefix}${testNumber}:`;

afterAll(async () => {
  await deleteRedisPrefix(filePrefix);
});

describeDeduplicationStoreConformance({
  name: "RedisDeduplicationStore",
  // Every instance is its own client (connection); each test gets its own key prefix.
  create: (options) => new RedisDeduplicationStore({ url: redisUrl, keyPrefix: current, ...options }),
  expiry: "ttl",
  cleanup: async () => {
    await deleteRedisPrefix(current);
    testNumber += 1;
    current = `${filePrefix}${testNumber}:`;
  },
});

describe("RedisDeduplicationStore specifics", () => {
  test("keeps the JSON record and the status under the documented keys, with a TTL", async () => {
    const prefix = `${filePrefix}layout:`;
    const store = new RedisDeduplicationStore({ url: redisUrl, keyPrefix: prefix, retentionHours: 1 });
    const client = new Redis(redisUrl);
    try {
      await store.tryClaim(testMessage("k1"), "k1", "worker-a", 5_000);
      await store.markProcessingCompleted("k1", "worker-a", { processingTimeSeconds: 2, recordsProcessed: 3, qualityScore: 0.5 });
      expect(await client.get(`${prefix}etl:status:k1`)).toBe("completed");
      const record = JSON.parse((await client.get(`${prefix}etl:processed:k1`))!);
      expect(record).toMatchObject({ idempotencyKey: "k1", status: "completed", recordsProcessed: 3 });
      const ttl = await client.pttl(`${prefix}etl:processed:k1`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(3_600_000);
      expect(await client.pttl(`${prefix}etl:status:k1`)).toBeGreaterThan(0);
    } finally {
      await store.close();
      client.disconnect();
    }
  });

  test("uses the server clock by default: a live lease is busy, with a remaining time within the lease", async () => {
    const prefix = `${filePrefix}server-clock:`;
    const a = new RedisDeduplicationStore({ url: redisUrl, keyPrefix: prefix });
    const b = new RedisDeduplicationStore({ url: redisUrl, keyPrefix: prefix });
    try {
      expect(await a.tryClaim(testMessage("k"), "k", "worker-a", 60_000)).toEqual({ status: "claimed", attempt: 1 });
      const busy = await b.tryClaim(testMessage("k"), "k", "worker-b", 60_000);
      expect(busy.status).toBe("busy");
      if (busy.status === "busy") {
        expect(busy.remainingMs).toBeGreaterThan(0);
        expect(busy.remainingMs).toBeLessThanOrEqual(60_000);
      }
      const record = await a.getRecord("k");
      expect(record?.leaseExpiresAt).toBeGreaterThan(Date.now() - 60_000);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test("the key prefix isolates stores", async () => {
    const one = new RedisDeduplicationStore({ url: redisUrl, keyPrefix: `${filePrefix}one:` });
    const two = new RedisDeduplicationStore({ url: redisUrl, keyPrefix: `${filePrefix}two:` });
    try {
      await one.tryClaim(testMessage("k"), "k", "worker-a", 60_000);
      expect(await two.tryClaim(testMessage("k"), "k", "worker-b", 60_000)).toEqual({ status: "claimed", attempt: 1 });
      expect((await one.stats()).processing).toBe(1);
    } finally {
      await one.close();
      await two.close();
    }
  });

  test("when its Redis goes away mid-flight, calls reject with a network_error, and work resumes when it is back", { timeout: 60_000 }, async () => {
    // A private redis-server this test starts and stops (the shared one is never touched).
    const port = await freePort();
    const startServer = async (): Promise<() => Promise<void>> => {
      const server = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
      const probe = new Redis({ port, host: "127.0.0.1", lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      probe.on("error", () => undefined);
      for (let i = 0; i < 100; i++) {
        try {
          await probe.connect();
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      probe.disconnect();
      return async () => {
        const exited = new Promise((r) => server.once("exit", r));
        server.kill("SIGKILL");
        await exited;
      };
    };
    let stop = await startServer();
    const store = new RedisDeduplicationStore({ url: `redis://127.0.0.1:${port}` });
    try {
      expect(await store.tryClaim(testMessage("k"), "k", "worker-a", 60_000)).toEqual({ status: "claimed", attempt: 1 });
      await stop();
      await expect(store.renewLease("k", "worker-a", 60_000)).rejects.toMatchObject({ errorType: "network_error" });
      await expect(store.tryClaim(testMessage("k2"), "k2", "worker-a", 60_000)).rejects.toMatchObject({ errorType: "network_error" });
      await expect(store.ping()).rejects.toMatchObject({ errorType: "network_error" });
      stop = await startServer();
      // ioredis reconnects in the background; calls fail fast until it is ready again.
      let answered = false;
      for (let i = 0; i < 100 && !answered; i++) {
        answered = await store.ping().then(() => true, () => false);
        if (!answered) await new Promise((r) => setTimeout(r, 100));
      }
      expect(answered).toBe(true);
      // The restarted server is empty (no persistence): the key is claimable again.
      expect(await store.tryClaim(testMessage("k2"), "k2", "worker-a", 60_000)).toEqual({ status: "claimed", attempt: 1 });
    } finally {
      await store.close();
      await stop();
    }
  });

  describe("with Redis unreachable", () => {
    test("every call rejects with a network_error and nothing is claimed", async () => {
      const port = await closedPort();
      const store = new RedisDeduplicationStore({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 500 });
      const calls: Array<[string, () => Promise<unknown>]> = [
        ["tryClaim", () => store.tryClaim(testMessage("k"), "k", "worker-a", 1_000)],
        ["tryClaim again", () => store.tryClaim(testMessage("k"), "k", "worker-a", 1_000)],
        ["renewLease", () => store.renewLease("k", "worker-a", 1_000)],
        ["markProcessingCompleted", () => store.markProcessingCompleted("k", "worker-a", { processingTimeSeconds: 1, recordsProcessed: 1, qualityScore: 1 })],
        ["markProcessingFailed", () => store.markProcessingFailed("k", "worker-a", { errorType: "network_error", errorMessage: "x" })],
        ["markQuarantined", () => store.markQuarantined("k", "worker-a", { errorType: "data_quality", errorMessage: "x" })],
        ["markDeadLettered", () => store.markDeadLettered("k", "worker-a", { errorType: "not_found", errorMessage: "x" })],
        ["isAlreadyProcessed", () => store.isAlreadyProcessed("k")],
        ["getRecord", () => store.getRecord("k")],
        ["stats", () => store.stats()],
        ["cleanupExpiredRecords", () => store.cleanupExpiredRecords()],
        ["ping", () => store.ping()],
      ];
      try {
        for (const [name, call] of calls) {
          await expect(call(), name).rejects.toMatchObject({ errorType: "network_error", retriable: true });
        }
      } finally {
        await store.close();
        await store.close();
      }
    });
  });
});
