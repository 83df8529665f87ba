import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { decodeHealthConnect } from "@narrative-engine/avro";
import type { Logger, PipelineDependencies, PipelineObserver } from "@narrative-engine/consumer";
import type { DeduplicationStore, RecordType } from "@narrative-engine/contracts";
import { createDeduplicationStore } from "@narrative-engine/dedup";
import { RecoveryPolicy } from "@narrative-engine/errors";
import { TrainingOutputWriter } from "@narrative-engine/output";
import { createDefaultRegistry } from "@narrative-engine/processors";
import { createObjectStore, type ObjectStore } from "@narrative-engine/storage";
import { DataQualityValidator } from "@narrative-engine/validation";
import type { WorkerConfig } from "./config.ts";

/** A worker id for owner tokens and logs: host, pid and a random suffix (never a user id). */
export function workerId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
}

/** The S3 store the configuration describes. */
export function createS3Store(config: WorkerConfig): ObjectStore {
  const s3 = config.s3;
  return createObjectStore({
    kind: "s3",
    region: s3.region,
    forcePathStyle: s3.forcePathStyle,
    ...(s3.endpointUrl === undefined ? {} : { endpoint: s3.endpointUrl }),
    ...(s3.accessKey === undefined || s3.secretKey === undefined ? {} : { credentials: { accessKeyId: s3.accessKey, secretAccessKey: s3.secretKey } }),
  });
}

/** A store on a local folder (each bucket a sub-folder): the embedded mode's output. */
export function createLocalStore(root: string): ObjectStore {
  return createObjectStore({ kind: "file", root });
}

/** The deduplication store the configuration describes; `sqlitePath` overrides the SQLite file (embedded mode). */
export function createDedupStore(config: WorkerConfig, sqlitePath?: string): DeduplicationStore {
  const d = config.deduplication;
  if (d.store === "redis" && sqlitePath === undefined) {
    return createDeduplicationStore({ kind: "redis", url: d.redisUrl, retentionHours: d.retentionHours, ...(d.redisKeyPrefix === undefined ? {} : { keyPrefix: d.redisKeyPrefix }) });
  }
  return createDeduplicationStore({ kind: "sqlite", path: sqlitePath ?? d.dbPath, retentionHours: d.retentionHours });
}

/** What {@link createPipeline} needs besides the configuration. */
export interface PipelineParts {
  readonly config: WorkerConfig;
  readonly store: ObjectStore;
  readonly dedup: DeduplicationStore;
  /** Bucket training output and quarantine go to. */
  readonly outputBucket: string;
  /** Buckets messages may point at. */
  readonly allowedBuckets: readonly string[];
  readonly logger?: Logger;
  readonly observer?: PipelineObserver;
  readonly workerId: string;
}

/** A composed pipeline and how to release what it holds (processors). */
export interface ComposedPipeline {
  readonly deps: PipelineDependencies;
  /** Cleans up the processors; safe to call twice. Stores are closed by their owner. */
  close(): Promise<void>;
}

/** Wires the packages into the pipeline's dependencies: one place, for `worker` and `process` alike. */
export async function createPipeline(parts: PipelineParts): Promise<ComposedPipeline> {
  const { config } = parts;
  const registry = createDefaultRegistry();
  await registry.initializeAll();
  const validator = new DataQualityValidator({
    threshold: config.dataQualityThreshold,
    maxFileBytes: Math.floor(config.maxFileSizeMb * 1024 * 1024),
    maxRecordsPerFile: config.maxRecordsPerFile,
  });
  const writer = new TrainingOutputWriter({ store: parts.store, bucket: parts.outputBucket, prefix: config.trainingDataPrefix });
  const policy = new RecoveryPolicy({
    maxRetries: config.rabbitmq.maxRetries,
    retryDelaysMs: config.rabbitmq.retryDelaysSeconds.map((s) => s * 1000),
  });
  const deps: PipelineDependencies = {
    config: {
      allowedBuckets: parts.allowedBuckets,
      quarantineBucket: parts.outputBucket,
      quarantinePrefix: config.quarantinePrefix,
      leaseMs: config.leaseSeconds * 1000,
      processingTimeoutMs: Math.round(config.processingTimeoutSeconds * 1000),
      maxFileBytes: Math.floor(config.maxFileSizeMb * 1024 * 1024),
      maxRecords: config.maxRecordsPerFile,
      maxDeferMs: (config.rabbitmq.retryDelaysSeconds[0] ?? 30) * 1000,
      workerId: parts.workerId,
    },
    store: parts.store,
    dedup: parts.dedup,
    decoder: { decode: (bytes, options) => decodeHealthConnect(bytes, options) },
    validator: { validate: (type: RecordType, records) => validator.validate(type, records) },
    processors: { get: (type) => (registry.has(type) ? registry.get(type) : undefined) },
    writer: { write: (output, options) => writer.writeResult(output, options) },
    policy,
    ...(parts.logger === undefined ? {} : { logger: parts.logger }),
    ...(parts.observer === undefined ? {} : { observer: parts.observer }),
  };
  let closed = false;
  return {
    deps,
    async close() {
      if (closed) return;
      closed = true;
      await registry.cleanupAll();
    },
  };
}
