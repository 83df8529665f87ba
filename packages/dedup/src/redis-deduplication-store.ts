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
import { NetworkError, classifyError } from "@narrative-engine/errors";
import { createRequire } from "node:module";
import type * as Ioredis from "ioredis";
import {
  checkClaimArguments,
  checkOwnerArguments,
  narrativePreview,
  retentionMsOf,
  type DeduplicationOptions,
} from "./deduplication-options.ts";
import { CLAIM_SCRIPT, FINISH_SCRIPT, RENEW_SCRIPT, REOPEN_SCRIPT } from "./redis-scripts.ts";

// ioredis (and its dependencies, ~10 MB resident) is loaded when a Redis store is created, so a
// worker on the default SQLite store never loads it. It is CommonJS: `import` would load the same.
const requireLazy = createRequire(import.meta.url);
let ioredis: typeof Ioredis | undefined;
function loadIoredis(): typeof Ioredis {
  ioredis ??= requireLazy("ioredis") as typeof Ioredis;
  return ioredis;
}

/** Options of {@link RedisDeduplicationStore}. */
export interface RedisDeduplicationStoreOptions extends DeduplicationOptions {
  /** `redis://[user:password@]host:port[/db]`. */
  readonly url: string;
  /** Prepended to every key (`{keyPrefix}etl:processed:{key}`). Default "". */
  readonly keyPrefix?: string;
  /** Connect timeout, ms. Default 2,000. */
  readonly connectTimeoutMs?: number;
  /** Timeout of each command, ms. Default 5,000. */
  readonly commandTimeoutMs?: number;
}

interface ScriptCommands {
  neDedupClaim(processedKey: string, statusKey: string, ...args: string[]): Promise<[string, string]>;
  neDedupRenew(processedKey: string, statusKey: string, ...args: string[]): Promise<number>;
  neDedupFinish(processedKey: string, statusKey: string, ...args: string[]): Promise<number>;
  neDedupReopen(processedKey: string, statusKey: string): Promise<number>;
}

const TERMINAL: ReadonlySet<string> = new Set(TERMINAL_STATUSES);
const STATUSES: ReadonlySet<string> = new Set(PROCESSING_STATUSES);
const SCAN_COUNT = 1_000;

/**
 * {@link DeduplicationStore} on Redis. Each key is a JSON record at `etl:processed:{key}` and
 * its status at `etl:status:{key}`, both expiring `retentionHours` after the last write.
 * Claim, renew and every finish run as Lua scripts that check the owner, so they are atomic
 * across any number of clients; lease times come from the server's `TIME` (one clock for
 * every worker) unless a test clock is given. When Redis cannot be reached, every call
 * rejects promptly with a `network_error` (no offline queue), so nothing is ever reported claimed.
 */
export class RedisDeduplicationStore implements DeduplicationStore {
  readonly #client: Ioredis.Redis & ScriptCommands;
  readonly #prefix: string;
  readonly #retentionMs: number;
  readonly #now: (() => number) | undefined;
  #connecting: Promise<void> | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(options: RedisDeduplicationStoreOptions) {
    if (typeof options.url !== "string" || options.url.length === 0) throw new TypeError("RedisDeduplicationStore: url must be a non-empty string");
    this.#prefix = options.keyPrefix ?? "";
    this.#retentionMs = retentionMsOf(options);
    this.#now = options.now;
    const client = new (loadIoredis().Redis)(options.url, {
      lazyConnect: true,
      // Fail fast instead of queueing: the transport requeues the delivery after a backoff.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: options.connectTimeoutMs ?? 2_000,
      commandTimeout: options.commandTimeoutMs ?? 5_000,
      retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2_000),
    });
    // Errors surface through the rejected calls; without a listener ioredis logs every reconnect failure.
    client.on("error", () => undefined);
    client.defineCommand("neDedupClaim", { numberOfKeys: 2, lua: CLAIM_SCRIPT });
    client.defineCommand("neDedupRenew", { numberOfKeys: 2, lua: RENEW_SCRIPT });
    client.defineCommand("neDedupFinish", { numberOfKeys: 2, lua: FINISH_SCRIPT });
    client.defineCommand("neDedupReopen", { numberOfKeys: 2, lua: REOPEN_SCRIPT });
    this.#client = client as Ioredis.Redis & ScriptCommands;
  }

  async tryClaim(message: HealthDataMessage, idempotencyKey: string, owner: string, leaseMs: number): Promise<ClaimResult> {
    checkClaimArguments(idempotencyKey, owner, leaseMs);
    const fields = JSON.stringify({
      idempotencyKey,
      messageId: message.messageId ?? null,
      correlationId: message.correlationId,
      userId: message.userId,
      recordType: message.recordType,
      s3Key: message.key,
    });
    const [outcome, value] = await this.#run((c) =>
      c.neDedupClaim(this.#processedKey(idempotencyKey), this.#statusKey(idempotencyKey), this.#clock(), owner, String(leaseMs), String(this.#retentionMs), fields),
    );
    if (outcome === "claimed") return { status: "claimed", attempt: Number(value) };
    if (outcome === "busy") return { status: "busy", remainingMs: Number(value) };
    return { status: "duplicate", record: toRecord(value) };
  }

  async renewLease(idempotencyKey: string, owner: string, leaseMs: number): Promise<boolean> {
    checkClaimArguments(idempotencyKey, owner, leaseMs);
    const done = await this.#run((c) =>
      c.neDedupRenew(this.#processedKey(idempotencyKey), this.#statusKey(idempotencyKey), this.#clock(), owner, String(leaseMs), String(this.#retentionMs)),
    );
    return done === 1;
  }

  async markProcessingCompleted(idempotencyKey: string, owner: string, details: CompletionDetails): Promise<boolean> {
    return this.#finish(idempotencyKey, owner, "completed", true, {
      processingTimeSeconds: details.processingTimeSeconds,
      recordsProcessed: details.recordsProcessed,
      qualityScore: details.qualityScore,
      narrativePreview: narrativePreview(details.narrative),
    });
  }

  async markProcessingFailed(idempotencyKey: string, owner: string, failure: FailureDetails): Promise<boolean> {
    return this.#finish(idempotencyKey, owner, "failed", false, { errorType: failure.errorType, errorMessage: failure.errorMessage });
  }

  async markQuarantined(idempotencyKey: string, owner: string, failure: FailureDetails): Promise<boolean> {
    return this.#finish(idempotencyKey, owner, "quarantined", true, { errorType: failure.errorType, errorMessage: failure.errorMessage });
  }

  async markDeadLettered(idempotencyKey: string, owner: string, failure: FailureDetails): Promise<boolean> {
    return this.#finish(idempotencyKey, owner, "dead_lettered", true, { errorType: failure.errorType, errorMessage: failure.errorMessage });
  }

  async reopen(idempotencyKey: string): Promise<boolean> {
    const done = await this.#run((c) => c.neDedupReopen(this.#processedKey(idempotencyKey), this.#statusKey(idempotencyKey)));
    return done === 1;
  }

  async isAlreadyProcessed(idempotencyKey: string): Promise<boolean> {
    const status = await this.#run((c) => c.get(this.#statusKey(idempotencyKey)));
    return status !== null && TERMINAL.has(status);
  }

  async getRecord(idempotencyKey: string): Promise<ProcessingRecord | undefined> {
    const raw = await this.#run((c) => c.get(this.#processedKey(idempotencyKey)));
    return raw === null ? undefined : toRecord(raw);
  }

  /** Counts by status with SCAN over `etl:status:*` + MGET: O(all keys in the database) per call, meant for the `status` command and dashboards, not per message. */
  async stats(): Promise<DeduplicationStats> {
    return this.#run(async (c) => {
      const counts = Object.fromEntries(PROCESSING_STATUSES.map((s) => [s, 0])) as Record<ProcessingStatus, number>;
      let cursor = "0";
      do {
        const [next, keys] = await c.scan(cursor, "MATCH", `${escapeGlob(this.#prefix)}etl:status:*`, "COUNT", SCAN_COUNT);
        cursor = next;
        if (keys.length > 0) {
          for (const status of await c.mget(...keys)) {
            if (status !== null && STATUSES.has(status)) counts[status as ProcessingStatus] += 1;
          }
        }
      } while (cursor !== "0");
      return counts;
    });
  }

  /** Redis expires records by TTL; nothing to do, always 0. */
  async cleanupExpiredRecords(): Promise<number> {
    await this.#run(() => Promise.resolve());
    return 0;
  }

  async ping(): Promise<void> {
    await this.#run((c) => c.ping());
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= (async () => {
      if (this.#client.status === "ready") {
        await this.#client.quit().catch(() => undefined);
      }
      this.#client.disconnect();
    })();
    return this.#closing;
  }

  async #finish(idempotencyKey: string, owner: string, status: ProcessingStatus, stampCompleted: boolean, patch: Record<string, unknown>): Promise<boolean> {
    checkOwnerArguments(idempotencyKey, owner);
    const done = await this.#run((c) =>
      c.neDedupFinish(
        this.#processedKey(idempotencyKey),
        this.#statusKey(idempotencyKey),
        this.#clock(),
        owner,
        String(this.#retentionMs),
        status,
        JSON.stringify(patch),
        stampCompleted ? "1" : "0",
      ),
    );
    return done === 1;
  }

  // Every failure reaches callers as an EtlError (connection refused → network_error, …).
  async #run<T>(work: (client: Ioredis.Redis & ScriptCommands) => Promise<T>): Promise<T> {
    if (this.#closed) throw new Error("RedisDeduplicationStore has been closed");
    try {
      await this.#connect();
      return await work(this.#client);
    } catch (error) {
      throw classifyError(error);
    }
  }

  #connect(): Promise<void> {
    const status = this.#client.status;
    if (status === "ready") return Promise.resolve();
    if (status === "wait") {
      this.#connecting ??= this.#client.connect().finally(() => {
        this.#connecting = undefined;
      });
      return this.#connecting;
    }
    if (this.#connecting !== undefined) return this.#connecting;
    // Connecting or reconnecting in the background: do not wait for it, fail this call now.
    return Promise.reject(new NetworkError(`redis is not connected (${status})`));
  }

  #clock(): string {
    return this.#now === undefined ? "-1" : String(Math.trunc(this.#now()));
  }

  #processedKey(idempotencyKey: string): string {
    return `${this.#prefix}etl:processed:${idempotencyKey}`;
  }

  #statusKey(idempotencyKey: string): string {
    return `${this.#prefix}etl:status:${idempotencyKey}`;
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}

type Json = Record<string, unknown>;

function num(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function toRecord(raw: string): ProcessingRecord {
  const r = JSON.parse(raw) as Json;
  const status = text(r["status"]);
  return {
    idempotencyKey: text(r["idempotencyKey"]) ?? "",
    messageId: text(r["messageId"]),
    correlationId: text(r["correlationId"]),
    userId: text(r["userId"]) ?? "",
    recordType: (text(r["recordType"]) ?? "") as RecordType,
    s3Key: text(r["s3Key"]) ?? "",
    status: status !== null && STATUSES.has(status) ? (status as ProcessingStatus) : "failed",
    owner: text(r["owner"]),
    leaseExpiresAt: num(r["leaseExpiresAt"]),
    attempts: num(r["attempts"]) ?? 0,
    errorMessage: text(r["errorMessage"]),
    errorType: isErrorType(r["errorType"]) ? r["errorType"] : null,
    startedAt: num(r["startedAt"]),
    completedAt: num(r["completedAt"]),
    processingTimeSeconds: num(r["processingTimeSeconds"]),
    recordsProcessed: num(r["recordsProcessed"]),
    qualityScore: num(r["qualityScore"]),
    narrativePreview: text(r["narrativePreview"]),
    createdAt: num(r["createdAt"]) ?? 0,
    expiresAt: num(r["expiresAt"]) ?? 0,
  };
}
