import { randomBytes } from "node:crypto";
import type { DeduplicationStore } from "@narrative-engine/contracts";
import { EtlError } from "@narrative-engine/errors";
import { afterEach, describe, expect, test } from "vitest";
import { testClock, testMessage, type TestClock } from "./test-message.ts";

export { testClock, testMessage, type TestClock };

/** Options a conformance factory receives. */
export interface ConformanceStoreOptions {
  /** Clock to inject; omitted when the store should use its own (real) clock. */
  readonly now?: () => number;
  /** Retention, hours. */
  readonly retentionHours?: number;
}

/** What the suite needs from one backend. */
export interface ConformanceBackend {
  /** Shown in test names. */
  readonly name: string;
  /** A new store instance (a new connection) over the same data as every other instance of this test. */
  readonly create: (options: ConformanceStoreOptions) => Promise<DeduplicationStore> | DeduplicationStore;
  /**
   * How expiry is exercised: `clock` moves the injected clock past retention and expects
   * `cleanupExpiredRecords()` to remove the row; `ttl` uses a tiny retention and waits for the
   * server to drop the key.
   */
  readonly expiry: "clock" | "ttl";
  /** Called after each test (drop files, delete key prefixes). */
  readonly cleanup?: () => Promise<void>;
}

function newKey(): string {
  return `key-${randomBytes(6).toString("hex")}`;
}

const LEASE = 60_000;
const failure = { errorType: "network_error", errorMessage: "connection reset" } as const;
const completion = { processingTimeSeconds: 1.25, recordsProcessed: 42, qualityScore: 0.9, narrative: "n".repeat(500) } as const;

/** The suite every {@link DeduplicationStore} must pass. */
export function describeDeduplicationStoreConformance(backend: ConformanceBackend): void {
  describe(`${backend.name} conforms to DeduplicationStore`, () => {
    const opened: DeduplicationStore[] = [];
    async function open(options: ConformanceStoreOptions = {}): Promise<DeduplicationStore> {
      const store = await backend.create(options);
      opened.push(store);
      return store;
    }
    async function openWithClock(): Promise<{ store: DeduplicationStore; clock: TestClock }> {
      const clock = testClock();
      return { store: await open({ now: clock.now }), clock };
    }

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
      await backend.cleanup?.();
    });

    test("claims a new key, then answers duplicate once it completed", async () => {
      const { store } = await openWithClock();
      const key = newKey();
      expect(await store.tryClaim(testMessage(key), key, "worker-a", LEASE)).toEqual({ status: "claimed", attempt: 1 });
      expect(await store.isAlreadyProcessed(key)).toBe(false);
      expect(await store.markProcessingCompleted(key, "worker-a", completion)).toBe(true);
      const again = await store.tryClaim(testMessage(key), key, "worker-b", LEASE);
      expect(again.status).toBe("duplicate");
      if (again.status === "duplicate") {
        expect(again.record.status).toBe("completed");
        expect(again.record.idempotencyKey).toBe(key);
      }
      expect(await store.isAlreadyProcessed(key)).toBe(true);
    });

    test("answers busy while another owner's lease is live", async () => {
      const { store, clock } = await openWithClock();
      const key = newKey();
      await store.tryClaim(testMessage(key), key, "worker-a", LEASE);
      clock.advance(10_000);
      const busy = await store.tryClaim(testMessage(key), key, "worker-b", LEASE);
      expect(busy).toEqual({ status: "busy", remainingMs: LEASE - 10_000 });
      expect(await store.isAlreadyProcessed(key)).toBe(false);
    });

    test("lets another owner take over after the lease expired", async () => {
      const { store, clock } = await openWithClock();
      const key = newKey();
      await store.tryClaim(testMessage(key), key, "worker-a", LEASE);
      clock.advance(LEASE);
      expect(await store.tryClaim(testMessage(key), key, "worker-b", LEASE)).toEqual({ status: "claimed", attempt: 2 });
      const record = await store.getRecord(key);
      expect(record?.owner).toBe("worker-b");
      expect(record?.leaseExpiresAt).toBe(clock.now() + LEASE);
    });

    test("the old owner cannot renew, complete, fail, quarantine or dead-letter after a takeover", async () => {
      const { store, clock } = await openWithClock();
      const key = newKey();
      await store.tryClaim(testMessage(key), key, "worker-a", LEASE);
      clock.advance(LEASE + 1);
      await store.tryClaim(testMessage(key), key, "worker-b", LEASE);
      expect(await store.renewLease(key, "worker-a", LEASE)).toBe(false);
      expect(await store.markProcessingCompleted(key, "worker-a", completion)).toBe(false);
      expect(await store.markProcessingFailed(key, "worker-a", failure)).toBe(false);
      expect(await store.markQuarantined(key, "worker-a", { errorType: "data_quality", errorMessage: "too few readings" })).toBe(false);
      expect(await store.markDeadLettered(key, "worker-a", failure)).toBe(false);
      const record = await store.getRecord(key);
      expect(record?.status).toBe("processing");
      expect(record?.owner).toBe("worker-b");
      expect(await store.markProcessingCompleted(key, "worker-b", completion)).toBe(true);
      expect((await store.getRecord(key))?.status).toBe("completed");
    });

    test("writes for a key nobody claimed, or after finishing, do not take", async () => {
      const { store } = await openWithClock();
      const key = newKey();
      expect(await store.renewLease(key, "worker-a", LEASE)).toBe(false);
      expect(await store.markProcessingCompleted(key, "worker-a", completion)).toBe(false);
      expect(await store.getRecord(key)).toBeUndefined();
      await store.tryClaim(testMessage(key), key, "worker-a", LEASE);
      expect(await store.markProcessingCompleted(key, "worker-a", completion)).toBe(true);
      expect(await store.markProcessingCompleted(key, "worker-a", completion)).toBe(false);
      expect(await store.markProcessingFailed(key, "worker-a", failure)).toBe(false);
      expect(await store.renewLease(key, "worker-a", LEASE)).toBe(false);
    });

    test("renewLease extends the lease", async () => {
      const { store, clock } = await openWithClock();
      const key = newKey();
      await store.tryClaim(testMessage(key), key, "worker-a", LEASE);
      clock.advance(LEASE - 1_000);
      expect(await store.renewLease(key, "worker-a", LEASE)).toBe(true);
      clock.advance(30_000);
      // Without the renewal the lease would have ended 29 s ago.
      expect(await store.tryClaim(testMessage(key), key, "worker-b", LEASE)).toEqual({ status: "busy", remainingMs: LEASE - 30_000 });
      expect((await store.getRecord(key))?.leaseExpiresAt).toBe(clock.now() + LEASE - 30_000);
    });

    test("a failed record can be claimed again and attempts count up", async () => {
      const { store } = await openWithClock();
      const key = newKey();
      await store.tryClaim(testMessage(key), key, "worker-a", LEASE);
      expect(await store.markProcessingFailed(key, "worker-a", failure)).toBe(true);
      const failed = await store.getRecord(key);
      expect(failed?.status).toBe("failed");
      expect(failed?.errorType).toBe("network_error");
      expect(failed?.errorMessage).toBe("connection reset");
      expect(failed?.leaseExpiresAt).toBeNull();
      expect(await store.isAlreadyProcessed(key)).toBe(false);
      expect(await store.tryClaim(testMessage(key), key, "worker-b", LEASE)).toEqual({ status: "claimed", attempt: 2 });
      expect(await store.markProcessingFailed(key, "worker-b", failure)).toBe(true);
      expect(await store.tryClaim(testMessage(key), key, "worker-c", LEASE)).toEqual({ status: "claimed", attempt: 3 });
      expect((await store.getRecord(key))?.attempts).toBe(3);
    });

    test.each(["quarantined", "dead_lettered"] as const)("%s counts as a duplicate", async (status) => {
      const { store } = await openWithClock();
      const key = newKey();
      await store.tryClaim(testMessage(key), key, "worker-a", LEASE);
      const details = { errorType: status === "quarantined" ? "data_quality" : "auth_error", errorMessage: "why" } as const;
      const done = status === "quarantined" ? await store.markQuarantined(key, "worker-a", details) : await store.markDeadLettered(key, "worker-a", details);
      expect(done).toBe(true);
      const again = await store.tryClaim(testMessage(key), key, "worker-b", LEASE);
      expect(again.status).toBe("duplicate");
      if (again.status === "duplicate") {
        expect(again.record.status).toBe(status);
        expect(again.record.errorType).toBe(details.errorType);
      }
      expect(await store.isAlreadyProcessed(key)).toBe(true);
    });

    test("reopen makes a dead-lettered key claimable again; attempts count up and a stale owner stays locked out", async () => {
      const { store } = await openWithClock();
      if (store.reopen === undefined) throw new Error(`${backend.name} does not implement reopen`);
      const key = newKey();
      await store.tryClaim(testMessage(key), key, "worker-a", LEASE);
      expect(await store.markDeadLettered(key, "worker-a", { errorType: "not_found", errorMessage: "no such object" })).toBe(true);
      expect(await store.reopen(key)).toBe(true);
      const reopened = await store.getRecord(key);
      expect(reopened?.status).toBe("failed");
      expect(reopened?.owner).toBeNull();
      expect(reopened?.leaseExpiresAt).toBeNull();
      expect(reopened?.errorType).toBe("not_found");
      expect(await store.isAlreadyProcessed(key)).toBe(false);
      expect(await store.markProcessingCompleted(key, "worker-a", completion)).toBe(false);
      expect(await store.reopen(key)).toBe(false);
      expect(await store.tryClaim(testMessage(key), key, "worker-b", LEASE)).toEqual({ status: "claimed", attempt: 2 });
      expect(await store.markProcessingCompleted(key, "worker-b", completion)).toBe(true);
      expect((await store.getRecord(key))?.status).toBe("completed");
    });

    test.each(["completed", "quarantined", "processing", "missing"] as const)("reopen of a %s key answers false and changes nothing", async (status) => {
      const { store } = await openWithClock();
      if (store.reopen === undefined) throw new Error(`${backend.name} does not implement reopen`);
      const key = newKey();
      if (status !== "missing") await store.tryClaim(testMessage(key), key, "worker-a", LEASE);
      if (status === "completed") await store.markProcessingCompleted(key, "worker-a", completion);
      if (status === "quarantined") await store.markQuarantined(key, "worker-a", { errorType: "data_quality", errorMessage: "why" });
      const before = await store.getRecord(key);
      expect(await store.reopen(key)).toBe(false);
      expect(await store.getRecord(key)).toEqual(before);
      if (status === "completed" || status === "quarantined") expect((await store.tryClaim(testMessage(key), key, "worker-b", LEASE)).status).toBe("duplicate");
      if (status === "missing") expect(before).toBeUndefined();
    });

    test("isAlreadyProcessed is false for unknown and in-progress keys", async () => {
      const { store } = await openWithClock();
      const key = newKey();
      expect(await store.isAlreadyProcessed(key)).toBe(false);
      await store.tryClaim(testMessage(key), key, "worker-a", LEASE);
      expect(await store.isAlreadyProcessed(key)).toBe(false);
    });

    test("getRecord holds every field, with the narrative preview cut to 200 characters", async () => {
      const clock = testClock();
      const store = await open({ now: clock.now, retentionHours: 2 });
      const key = newKey();
      const claimedAt = clock.now();
      await store.tryClaim(testMessage(key, { message_id: "m-1", correlation_id: "c-1" }), key, "worker-a", LEASE);
      const processing = await store.getRecord(key);
      expect(processing).toEqual({
        idempotencyKey: key,
        messageId: "m-1",
        correlationId: "c-1",
        userId: "user-under-test",
        recordType: "BloodGlucoseRecord",
        s3Key: `raw/BloodGlucoseRecord/${key}.avro`,
        status: "processing",
        owner: "worker-a",
        leaseExpiresAt: claimedAt + LEASE,
        attempts: 1,
        errorMessage: null,
        errorType: null,
        startedAt: claimedAt,
        completedAt: null,
        processingTimeSeconds: null,
        recordsProcessed: null,
        qualityScore: null,
        narrativePreview: null,
        createdAt: claimedAt,
        expiresAt: claimedAt + 2 * 3_600_000,
      });
      clock.advance(1_500);
      const narrative = `${"é".repeat(150)}${"x".repeat(100)}`;
      await store.markProcessingCompleted(key, "worker-a", { ...completion, narrative });
      const done = await store.getRecord(key);
      expect(done).toMatchObject({
        status: "completed",
        owner: "worker-a",
        leaseExpiresAt: null,
        completedAt: claimedAt + 1_500,
        processingTimeSeconds: 1.25,
        recordsProcessed: 42,
        qualityScore: 0.9,
        narrativePreview: `${"é".repeat(150)}${"x".repeat(50)}`,
        createdAt: claimedAt,
        expiresAt: claimedAt + 1_500 + 2 * 3_600_000,
      });
      expect(done?.narrativePreview).toHaveLength(200);
    });

    test("a message without a message id keeps null", async () => {
      const { store } = await openWithClock();
      const key = newKey();
      await store.tryClaim(testMessage(key, { message_id: undefined }), key, "worker-a", LEASE);
      expect((await store.getRecord(key))?.messageId).toBeNull();
    });

    test("stats counts records by status", async () => {
      const { store } = await openWithClock();
      const keys = Array.from({ length: 6 }, () => newKey());
      for (const key of keys) await store.tryClaim(testMessage(key), key, "worker-a", LEASE);
      await store.markProcessingCompleted(keys[0]!, "worker-a", completion);
      await store.markProcessingCompleted(keys[1]!, "worker-a", completion);
      await store.markProcessingFailed(keys[2]!, "worker-a", failure);
      await store.markQuarantined(keys[3]!, "worker-a", { errorType: "data_quality", errorMessage: "poor" });
      await store.markDeadLettered(keys[4]!, "worker-a", { errorType: "not_found", errorMessage: "gone" });
      expect(await store.stats()).toEqual({ processing: 1, completed: 2, failed: 1, quarantined: 1, dead_lettered: 1 });
    });

    if (backend.expiry === "clock") {
      test("expired records are gone, and removed by cleanupExpiredRecords", async () => {
        const clock = testClock();
        const store = await open({ now: clock.now, retentionHours: 1 });
        const oldKey = newKey();
        const freshKey = newKey();
        await store.tryClaim(testMessage(oldKey), oldKey, "worker-a", LEASE);
        await store.markProcessingCompleted(oldKey, "worker-a", completion);
        clock.advance(30 * 60_000);
        await store.tryClaim(testMessage(freshKey), freshKey, "worker-a", LEASE);
        expect(await store.cleanupExpiredRecords()).toBe(0);
        clock.advance(31 * 60_000);
        expect(await store.getRecord(oldKey)).toBeUndefined();
        expect(await store.isAlreadyProcessed(oldKey)).toBe(false);
        expect((await store.stats()).completed).toBe(0);
        expect(await store.cleanupExpiredRecords()).toBe(1);
        expect(await store.getRecord(freshKey)).toBeDefined();
        expect(await store.tryClaim(testMessage(oldKey), oldKey, "worker-b", LEASE)).toEqual({ status: "claimed", attempt: 1 });
      });

      test("an expired record not yet cleaned up is claimed afresh", async () => {
        const clock = testClock();
        const store = await open({ now: clock.now, retentionHours: 1 });
        const key = newKey();
        await store.tryClaim(testMessage(key), key, "worker-a", LEASE);
        await store.markDeadLettered(key, "worker-a", failure);
        clock.advance(2 * 3_600_000);
        expect(await store.tryClaim(testMessage(key), key, "worker-b", LEASE)).toEqual({ status: "claimed", attempt: 1 });
        expect(await store.getRecord(key)).toMatchObject({ attempts: 1, errorType: null, createdAt: clock.now(), status: "processing" });
      });
    } else {
      test("records expire by TTL after the retention", async () => {
        // A tiny retention on the real clock: 0.0001 h = 360 ms.
        const store = await open({ retentionHours: 0.0001 });
        const key = newKey();
        await store.tryClaim(testMessage(key), key, "worker-a", 100);
        await store.markProcessingCompleted(key, "worker-a", completion);
        expect(await store.isAlreadyProcessed(key)).toBe(true);
        for (let i = 0; i < 100 && (await store.getRecord(key)) !== undefined; i++) await new Promise((r) => setTimeout(r, 50));
        expect(await store.getRecord(key)).toBeUndefined();
        expect(await store.isAlreadyProcessed(key)).toBe(false);
        expect(await store.cleanupExpiredRecords()).toBe(0);
        expect(await store.tryClaim(testMessage(key), key, "worker-b", 100)).toEqual({ status: "claimed", attempt: 1 });
      });
    }

    test("50 claimers on separate connections race for one key: exactly one wins", async () => {
      const clock = testClock();
      const stores = await Promise.all(Array.from({ length: 50 }, () => open({ now: clock.now })));
      const key = newKey();
      const results = await Promise.all(stores.map((s, i) => s.tryClaim(testMessage(key), key, `worker-${i}`, LEASE)));
      const winners = results.filter((r) => r.status === "claimed");
      expect(winners).toHaveLength(1);
      expect(results.filter((r) => r.status === "busy")).toHaveLength(49);
      const winner = results.findIndex((r) => r.status === "claimed");
      expect((await stores[0]!.getRecord(key))?.owner).toBe(`worker-${winner}`);
    });

    test("50 claimers racing on 10 keys each win each key exactly once", async () => {
      const clock = testClock();
      const stores = await Promise.all(Array.from({ length: 50 }, () => open({ now: clock.now })));
      const keys = Array.from({ length: 10 }, () => newKey());
      const results = await Promise.all(stores.flatMap((s, i) => keys.map(async (key) => ({ key, result: await s.tryClaim(testMessage(key), key, `worker-${i}`, LEASE) }))));
      for (const key of keys) {
        expect(results.filter((r) => r.key === key && r.result.status === "claimed")).toHaveLength(1);
      }
    });

    test("ping answers and close is idempotent", async () => {
      const store = await backend.create({});
      await store.ping();
      await store.close();
      await store.close();
      await expect(store.ping()).rejects.toThrow(/closed/);
    });

    test("rejects bad arguments with a validation_error", async () => {
      const { store } = await openWithClock();
      await expect(store.tryClaim(testMessage("k"), "", "worker-a", LEASE)).rejects.toMatchObject({ errorType: "validation_error" });
      await expect(store.tryClaim(testMessage("k"), "k", "", LEASE)).rejects.toMatchObject({ errorType: "validation_error" });
      await expect(store.tryClaim(testMessage("k"), "k", "worker-a", 0)).rejects.toBeInstanceOf(EtlError);
    });
  });
}
