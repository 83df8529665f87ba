import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EtlError } from "@narrative-engine/errors";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, describe, expect, test } from "vitest";
import { describeDeduplicationStoreConformance, testClock, testMessage } from "../test/deduplication-store-conformance.ts";
import { SqliteDeduplicationStore } from "./sqlite-deduplication-store.ts";

const dir = mkdtempSync(join(tmpdir(), "ne-dedup-sqlite-"));
let file = 0;
let current = join(dir, "dedup-0.db");

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describeDeduplicationStoreConformance({
  name: "SqliteDeduplicationStore",
  // Every instance in one test shares the file (a connection each); the next test gets a new file.
  create: (options) => new SqliteDeduplicationStore({ path: current, ...options }),
  expiry: "clock",
  cleanup: () => {
    file += 1;
    current = join(dir, `dedup-${file}.db`);
    return Promise.resolve();
  },
});

describe("SqliteDeduplicationStore specifics", () => {
  test("creates the spec's table and indexes, in WAL mode", async () => {
    const path = join(dir, "schema.db");
    const store = new SqliteDeduplicationStore({ path });
    await store.ping();
    await store.close();
    const db = new BetterSqlite3(path, { readonly: true });
    try {
      const columns = (db.prepare("pragma table_info(processed_messages)").all() as Array<{ name: string; pk: number }>).map((c) => c.name);
      expect(columns).toEqual([
        "idempotency_key", "message_id", "correlation_id", "user_id", "record_type", "s3_key", "status", "error_message",
        "error_type", "started_at", "completed_at", "processing_time_seconds", "records_processed", "quality_score",
        "narrative_preview", "created_at", "expires_at", "owner", "lease_expires_at", "attempts",
      ]);
      const indexes = (db.prepare("pragma index_list(processed_messages)").all() as Array<{ name: string }>).map((i) => i.name).sort();
      expect(indexes).toEqual(expect.arrayContaining(["idx_processed_messages_expires_at", "idx_processed_messages_status", "idx_processed_messages_user_id"]));
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    } finally {
      db.close();
    }
  });

  test("reopening a migrated file keeps its records", async () => {
    const path = join(dir, "reopen.db");
    const clock = testClock();
    const first = new SqliteDeduplicationStore({ path, now: clock.now });
    await first.tryClaim(testMessage("k1"), "k1", "worker-a", 1_000);
    await first.markProcessingCompleted("k1", "worker-a", { processingTimeSeconds: 1, recordsProcessed: 1, qualityScore: 1 });
    await first.close();
    const second = new SqliteDeduplicationStore({ path, now: clock.now });
    expect(await second.isAlreadyProcessed("k1")).toBe(true);
    await second.close();
  });

  test("an unopenable path rejects with an EtlError, and a later call tries again", async () => {
    const missing = join(dir, "missing-dir");
    const store = new SqliteDeduplicationStore({ path: join(missing, "x.db") });
    await expect(store.ping()).rejects.toBeInstanceOf(EtlError);
    mkdirSync(missing);
    await store.ping();
    await store.close();
  });

  test("rejects bad options", () => {
    expect(() => new SqliteDeduplicationStore({ path: "" })).toThrow(/path/);
    expect(() => new SqliteDeduplicationStore({ path: "x.db", retentionHours: 0 })).toThrow(/retentionHours/);
  });
});
