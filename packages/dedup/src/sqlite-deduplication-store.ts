import {
  PROCESSING_STATUSES,
  TERMINAL_STATUSES,
  isErrorType,
  type ClaimResult,
  type CompletionDetails,
  type DeduplicationStats,
  type DeduplicationStore,
  type FailureDetails,
  type HealthDataMessage,
  type ProcessingRecord,
  type ProcessingStatus,
  type RecordType,
} from "@narrative-engine/contracts";
import { TemporaryError, classifyError } from "@narrative-engine/errors";
import { resolve } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect, type QueryResult, type Selectable, type SqliteDatabase, type SqliteStatement } from "kysely";
import {
  checkClaimArguments,
  checkOwnerArguments,
  narrativePreview,
  retentionMsOf,
  type DeduplicationOptions,
} from "./deduplication-options.ts";
import { SQLITE_MIGRATION_NAMES, sqliteMigrationProvider } from "./sqlite-migrations.ts";
import { sqliteQueries, type Database, type ProcessedMessagesTable, type SqliteQueries } from "./sqlite-queries.ts";

/** Options of {@link SqliteDeduplicationStore}. */
export interface SqliteDeduplicationStoreOptions extends DeduplicationOptions {
  /** Database file (created when missing); `:memory:` for a private in-memory store. */
  readonly path: string;
  /** How long a statement waits for another connection's write lock, ms. Default 5,000. */
  readonly busyTimeoutMs?: number;
}

type Row = Selectable<ProcessedMessagesTable>;

interface Opened {
  readonly db: Kysely<Database>;
  readonly queries: SqliteQueries;
}

const TERMINAL: ReadonlySet<string> = new Set(TERMINAL_STATUSES);
const INIT_ATTEMPTS = 8;
const CLAIM_ROUNDS = 5;

/**
 * {@link DeduplicationStore} on a SQLite file (WAL, `synchronous=NORMAL`). Any number of
 * store instances and processes may share one file: a claim is a single atomic upsert and
 * every later write checks the owner token. Times come from the local clock of each worker.
 * Records past `expires_at` are treated as absent and removed by `cleanupExpiredRecords()`.
 */
export class SqliteDeduplicationStore implements DeduplicationStore {
  readonly #path: string;
  readonly #busyTimeoutMs: number;
  readonly #retentionMs: number;
  readonly #now: () => number;
  #opened: Opened | undefined;
  #init: Promise<Opened> | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(options: SqliteDeduplicationStoreOptions) {
    if (typeof options.path !== "string" || options.path.length === 0) throw new TypeError("SqliteDeduplicationStore: path must be a non-empty string");
    this.#path = options.path;
    this.#busyTimeoutMs = options.busyTimeoutMs ?? 5_000;
    this.#retentionMs = retentionMsOf(options);
    this.#now = options.now ?? Date.now;
  }

  async tryClaim(message: HealthDataMessage, idempotencyKey: string, owner: string, leaseMs: number): Promise<ClaimResult> {
    checkClaimArguments(idempotencyKey, owner, leaseMs);
    return this.#run(async (db, q) => {
      for (let round = 0; round < CLAIM_ROUNDS; round++) {
        const now = this.#now();
        const { rows } = await q.claim.execute(db, {
          key: idempotencyKey,
          messageId: message.messageId ?? null,
          correlationId: message.correlationId,
          userId: message.userId,
          recordType: message.recordType,
          s3Key: message.key,
          owner,
          now,
          leaseExpiresAt: now + leaseMs,
          expiresAt: now + this.#retentionMs,
        });
        const won = rows[0];
        if (won !== undefined) return { status: "claimed", attempt: won.attempts };

        const seen = this.#now();
        const row = (await q.read.execute(db, { key: idempotencyKey, now: seen })).rows[0];
        // The row changed between the two statements (finished, failed or expired): claim again.
        if (row === undefined) continue;
        if (TERMINAL.has(row.status)) return { status: "duplicate", record: toRecord(row) };
        if (row.status === "processing" && row.lease_expires_at !== null && row.lease_expires_at > seen) {
          return { status: "busy", remainingMs: Math.max(1, row.lease_expires_at - seen) };
        }
      }
      throw new TemporaryError(`claim of an idempotency key kept changing under contention (${CLAIM_ROUNDS} rounds)`);
    });
  }

  async renewLease(idempotencyKey: string, owner: string, leaseMs: number): Promise<boolean> {
    checkClaimArguments(idempotencyKey, owner, leaseMs);
    return this.#run(async (db, q) => {
      const now = this.#now();
      const result = await q.renew.execute(db, { key: idempotencyKey, owner, leaseExpiresAt: now + leaseMs, expiresAt: now + this.#retentionMs });
      return took(result);
    });
  }

  async markProcessingCompleted(idempotencyKey: string, owner: string, details: CompletionDetails): Promise<boolean> {
    checkOwnerArguments(idempotencyKey, owner);
    return this.#run(async (db, q) => {
      const now = this.#now();
      const result = await q.complete.execute(db, {
        key: idempotencyKey,
        owner,
        now,
        expiresAt: now + this.#retentionMs,
        processingTimeSeconds: details.processingTimeSeconds,
        recordsProcessed: details.recordsProcessed,
        qualityScore: details.qualityScore,
        narrativePreview: narrativePreview(details.narrative),
      });
      return took(result);
    });
  }

  async markProcessingFailed(idempotencyKey: string, owner: string, failure: FailureDetails): Promise<boolean> {
    return this.#finishWithError(idempotencyKey, owner, "failed", failure);
  }

  async markQuarantined(idempotencyKey: string, owner: string, failure: FailureDetails): Promise<boolean> {
    return this.#finishWithError(idempotencyKey, owner, "quarantined", failure);
  }

  async markDeadLettered(idempotencyKey: string, owner: string, failure: FailureDetails): Promise<boolean> {
    return this.#finishWithError(idempotencyKey, owner, "dead_lettered", failure);
  }

  async reopen(idempotencyKey: string): Promise<boolean> {
    return this.#run(async (db) => {
      const result = await db
        .updateTable("processed_messages")
        .set({ status: "failed", owner: null, lease_expires_at: null })
        .where("idempotency_key", "=", idempotencyKey)
        .where("status", "=", "dead_lettered")
        .where("expires_at", ">", this.#now())
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    });
  }

  async isAlreadyProcessed(idempotencyKey: string): Promise<boolean> {
    const record = await this.getRecord(idempotencyKey);
    return record !== undefined && TERMINAL.has(record.status);
  }

  async getRecord(idempotencyKey: string): Promise<ProcessingRecord | undefined> {
    return this.#run(async (db, q) => {
      const row = (await q.read.execute(db, { key: idempotencyKey, now: this.#now() })).rows[0];
      return row === undefined ? undefined : toRecord(row);
    });
  }

  async stats(): Promise<DeduplicationStats> {
    return this.#run(async (db) => {
      const rows = await db
        .selectFrom("processed_messages")
        .select((eb) => ["status", eb.fn.countAll<number>().as("count")])
        .where("expires_at", ">", this.#now())
        .groupBy("status")
        .execute();
      const counts = Object.fromEntries(PROCESSING_STATUSES.map((s) => [s, 0])) as Record<ProcessingStatus, number>;
      for (const row of rows) counts[row.status] = row.count;
      return counts;
    });
  }

  async cleanupExpiredRecords(): Promise<number> {
    return this.#run(async (db) => {
      const result = await db.deleteFrom("processed_messages").where("expires_at", "<=", this.#now()).executeTakeFirst();
      return Number(result.numDeletedRows);
    });
  }

  async ping(): Promise<void> {
    await this.#run(async (db) => {
      await db.selectFrom("processed_messages").select("idempotency_key").limit(1).execute();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= (async () => {
      const init = this.#init;
      this.#init = undefined;
      if (init !== undefined) await init.catch(() => undefined);
      const opened = this.#opened;
      this.#opened = undefined;
      if (opened !== undefined) await opened.db.destroy();
    })();
    return this.#closing;
  }

  async #finishWithError(idempotencyKey: string, owner: string, status: "failed" | "quarantined" | "dead_lettered", failure: FailureDetails): Promise<boolean> {
    checkOwnerArguments(idempotencyKey, owner);
    return this.#run(async (db, q) => {
      const now = this.#now();
      const result = await q.finishWithError.execute(db, {
        key: idempotencyKey,
        owner,
        status,
        errorType: failure.errorType,
        errorMessage: failure.errorMessage,
        completedAt: status === "failed" ? null : now,
        expiresAt: now + this.#retentionMs,
      });
      return took(result);
    });
  }

  // Every failure reaches callers as an EtlError (SQLITE_BUSY → temporary_error, …).
  async #run<T>(work: (db: Kysely<Database>, queries: SqliteQueries) => Promise<T>): Promise<T> {
    if (this.#closed) throw new Error("SqliteDeduplicationStore has been closed");
    try {
      const { db, queries } = await this.#open();
      return await work(db, queries);
    } catch (error) {
      throw classifyError(error);
    }
  }

  #open(): Promise<Opened> {
    if (this.#opened !== undefined) return Promise.resolve(this.#opened);
    // A failed start is forgotten so the next call tries again.
    this.#init ??= this.#initialise().catch((error: unknown) => {
      this.#init = undefined;
      throw error;
    });
    return this.#init;
  }

  async #initialise(): Promise<Opened> {
    let lastError: unknown;
    for (let attempt = 0; attempt < INIT_ATTEMPTS; attempt++) {
      try {
        const db = await oneAtATime(this.#path, () => this.#openAndMigrate());
        if (this.#closed) {
          await db.destroy();
          throw new Error("SqliteDeduplicationStore has been closed");
        }
        this.#opened = { db, queries: sqliteQueries(db) };
        return this.#opened;
      } catch (error) {
        lastError = error;
        // Only SQLite's own errors (busy, or a migration race's "already exists") are worth another go.
        if (this.#closed || !isSqliteError(error)) break;
        // Processes opening one new file together race through the migrator; the loser retries.
        await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 50 * (attempt + 1)));
      }
    }
    throw classifyError(lastError);
  }

  async #openAndMigrate(): Promise<Kysely<Database>> {
    const database = new BetterSqlite3(this.#path, { timeout: this.#busyTimeoutMs });
    try {
      database.pragma(`busy_timeout = ${this.#busyTimeoutMs}`);
      database.pragma("journal_mode = WAL");
      database.pragma("synchronous = NORMAL");
    } catch (error) {
      database.close();
      throw error;
    }
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: keepStatementsPrepared(database) }) });
    try {
      if (migrationsApplied(database)) return db;
      const { error } = await new Migrator({ db, provider: sqliteMigrationProvider }).migrateToLatest();
      if (error !== undefined) throw error instanceof Error ? error : classifyError(error);
      return db;
    } catch (error) {
      await db.destroy().catch(() => undefined);
      throw error;
    }
  }
}

// better-sqlite3 is synchronous: a connection waiting for a lock blocks the whole thread, so a
// migrator transaction held open across an await by another connection of the same process could
// never commit. Opening (pragmas + migrations) one file therefore happens one connection at a time
// per process; other processes only wait for the lock (busy_timeout), which their holder releases.
const migrationQueues = new Map<string, Promise<unknown>>();

async function oneAtATime<T>(path: string, work: () => Promise<T>): Promise<T> {
  const key = path === ":memory:" || path === "" ? `${path}:${Math.random()}` : resolve(path);
  const previous = migrationQueues.get(key) ?? Promise.resolve();
  const result = previous.then(work, work);
  const settled = result.catch(() => undefined);
  migrationQueues.set(key, settled);
  try {
    return await result;
  } finally {
    if (migrationQueues.get(key) === settled) migrationQueues.delete(key);
  }
}

const STATEMENT_CACHE_SIZE = 64;

// Kysely prepares every query anew; the store runs a handful of fixed SQL strings (see
// QueryTemplate), so their prepared statements are kept. Kysely's driver runs one query at a
// time per connection, so a cached statement is never busy when reused.
function keepStatementsPrepared(database: BetterSqlite3.Database): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => {
      statements.clear();
      database.close();
    },
    prepare: (text) => {
      let statement = statements.get(text);
      if (statement === undefined) {
        statement = database.prepare(text);
        if (statements.size < STATEMENT_CACHE_SIZE) statements.set(text, statement);
      }
      return statement;
    },
  };
}

function took(result: QueryResult<unknown>): boolean {
  return (result.numAffectedRows ?? 0n) > 0n;
}

// The migrator introspects the whole schema on every start; when every migration is already
// recorded (every start but the first), one cheap read says so.
function migrationsApplied(database: BetterSqlite3.Database): boolean {
  try {
    const applied = new Set((database.prepare("select name from kysely_migration").all() as Array<{ name: string }>).map((r) => r.name));
    return SQLITE_MIGRATION_NAMES.every((name) => applied.has(name));
  } catch {
    return false;
  }
}

function isSqliteError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_");
}

function toRecord(row: Row): ProcessingRecord {
  return {
    idempotencyKey: row.idempotency_key,
    messageId: row.message_id,
    correlationId: row.correlation_id,
    userId: row.user_id,
    recordType: row.record_type as RecordType,
    s3Key: row.s3_key,
    status: row.status,
    owner: row.owner,
    leaseExpiresAt: row.lease_expires_at,
    attempts: row.attempts,
    errorMessage: row.error_message,
    errorType: isErrorType(row.error_type) ? row.error_type : null,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    processingTimeSeconds: row.processing_time_seconds,
    recordsProcessed: row.records_processed,
    qualityScore: row.quality_score,
    narrativePreview: row.narrative_preview,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}
