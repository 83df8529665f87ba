import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import amqp, { type ChannelModel, type ConfirmChannel, type GetMessage } from "amqplib";
import { decodeHealthConnect } from "@narrative-engine/avro";
import type { DeduplicationStore, ProcessingRecord, RecordType } from "@narrative-engine/contracts";
import { SqliteDeduplicationStore } from "@narrative-engine/dedup";
import { RecoveryPolicy } from "@narrative-engine/errors";
import { TrainingOutputWriter } from "@narrative-engine/output";
import { createDefaultRegistry } from "@narrative-engine/processors";
import { S3ObjectStore, type ObjectStore } from "@narrative-engine/storage";
import { deleteTopology, drainQueue, rabbitUrl, readSample, startS3Server, uniquePrefix, type TestS3Server } from "@narrative-engine/test-kit";
import { DataQualityValidator } from "@narrative-engine/validation";
import {
  processMessage,
  healthDataRoutingKey,
  prefixedTopology,
  publishHealthDataMessage,
  queueDepths,
  RabbitConsumer,
  topologyExchanges,
  topologyQueues,
  type PipelineConfig,
  type PipelineDependencies,
  type PipelineObserver,
  type ProcessorLookup,
  type RabbitTopology,
  type RabbitTopologyOptions,
  type TrainingWriter,
} from "../../src/index.ts";

export const BUCKET = "health-data";
export const TRAINING_PREFIX = "training/";
export const QUARANTINE_PREFIX = "quarantine/";

/** Retry delays scaled to ms for tests. */
export const TEST_RETRY_DELAYS_MS = [150, 300, 450] as const;

/** The three message shapes producers send (architecture §4). */
export type MessageShape = "health-api" | "message-queue" | "module-spec";
export const MESSAGE_SHAPES: readonly MessageShape[] = ["health-api", "message-queue", "module-spec"];

export interface UploadedFile {
  readonly key: string;
  readonly sha256: string;
  readonly size: number;
}

export interface MessageInput extends UploadedFile {
  readonly recordType: RecordType;
  readonly userId?: string;
  readonly idempotencyKey?: string;
  readonly bucket?: string;
  readonly uploadedAt?: string;
}

/** A wire message of `shape` for an uploaded file; returns the body and the routing key the producer would use. */
export function buildMessage(shape: MessageShape, input: MessageInput): { body: Record<string, unknown>; routingKey: string } {
  const common = {
    bucket: input.bucket ?? BUCKET,
    key: input.key,
    user_id: input.userId ?? "user-test",
    upload_timestamp_utc: input.uploadedAt ?? "2025-09-20T22:25:39.312Z",
    file_size_bytes: input.size,
  };
  const idempotencyKey = input.idempotencyKey ?? `idem-${randomUUID()}`;
  switch (shape) {
    case "health-api":
      return {
        body: { ...common, record_type: `Avro${input.recordType}`, file_hash: input.sha256, correlation_id: randomUUID() },
        routingKey: healthDataRoutingKey(input.recordType),
      };
    case "message-queue":
      return {
        body: {
          ...common,
          record_type: input.recordType,
          content_hash: input.sha256,
          message_id: `msg-${randomUUID()}`,
          correlation_id: randomUUID(),
          idempotency_key: idempotencyKey,
          retry_count: 0,
          max_retries: 3,
          processing_priority: "normal",
        },
        routingKey: `health.processing.${input.recordType.toLowerCase()}.normal`,
      };
    case "module-spec":
      return {
        body: {
          ...common,
          record_type: input.recordType,
          content_hash: input.sha256,
          message_id: `msg-${randomUUID()}`,
          correlation_id: randomUUID(),
          idempotency_key: idempotencyKey,
          retry_count: 0,
          priority: "high",
          health_metadata: { user_timezone_offset: "-05:00" },
        },
        routingKey: `health.processing.${input.recordType.toLowerCase()}.high`,
      };
  }
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export interface HarnessOptions {
  readonly label: string;
  readonly dedup?: "sqlite" | DeduplicationStore;
  readonly topology?: RabbitTopologyOptions;
  readonly maxRetries?: number;
}

export interface ConsumerOptions {
  readonly config?: Partial<PipelineConfig>;
  readonly concurrency?: number;
  readonly connectionName?: string;
  readonly topology?: RabbitTopology;
  readonly shutdownGraceMs?: number;
  readonly deps?: Partial<PipelineDependencies>;
}

/** One test file's world: its own topology prefix, S3 store, dedup store and consumers. */
export class Harness {
  readonly prefix: string;
  readonly topology: RabbitTopology;
  readonly store: ObjectStore;
  readonly dedup: DeduplicationStore;
  readonly policy: RecoveryPolicy;
  readonly consumers: RabbitConsumer[] = [];
  readonly #dirs: string[] = [];
  #admin: ChannelModel | undefined;
  #publisher: ConfirmChannel | undefined;

  private constructor(
    options: HarnessOptions,
    readonly s3: TestS3Server,
    store: ObjectStore,
    dedup: DeduplicationStore,
    dir: string,
  ) {
    this.prefix = uniquePrefix(options.label);
    this.topology = prefixedTopology(this.prefix, { retryDelaysMs: [...TEST_RETRY_DELAYS_MS], ...options.topology });
    this.store = store;
    this.dedup = dedup;
    this.policy = new RecoveryPolicy({ retryDelaysMs: this.topology.retryTiers.map((t) => t.delayMs), maxRetries: options.maxRetries ?? 3 });
    this.#dirs.push(dir);
  }

  static async create(options: HarnessOptions): Promise<Harness> {
    const dir = mkdtempSync(join(tmpdir(), "ne-consumer-"));
    const s3 = await startS3Server({ buckets: [BUCKET] });
    const store = new S3ObjectStore({
      region: s3.region,
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: s3.credentials,
      connectionTimeoutMs: 500,
      requestTimeoutMs: 5_000,
      maxAttempts: 1,
    });
    const dedup = options.dedup === undefined || options.dedup === "sqlite" ? new SqliteDeduplicationStore({ path: join(dir, "dedup.sqlite") }) : options.dedup;
    const harness = new Harness(options, s3, store, dedup, dir);
    harness.#admin = await amqp.connect(rabbitUrl);
    harness.#admin.on("error", () => undefined);
    harness.#publisher = await harness.#admin.createConfirmChannel();
    harness.#publisher.on("error", () => undefined);
    return harness;
  }

  get admin(): ChannelModel {
    if (this.#admin === undefined) throw new Error("harness closed");
    return this.#admin;
  }

  /** Pipeline dependencies composed from the real packages. */
  deps(config: Partial<PipelineConfig> = {}, overrides: Partial<PipelineDependencies> = {}): PipelineDependencies {
    return {
      config: {
        allowedBuckets: [BUCKET],
        quarantineBucket: BUCKET,
        quarantinePrefix: QUARANTINE_PREFIX,
        leaseMs: 5_000,
        processingTimeoutMs: 20_000,
        maxDeferMs: this.topology.retryTiers[0]!.delayMs,
        requeueDelayMs: 100,
        workerId: `w-${randomUUID().slice(0, 8)}`,
        ...config,
      },
      store: this.store,
      dedup: this.dedup,
      decoder: { decode: (bytes, options) => decodeHealthConnect(bytes, options) },
      validator: new DataQualityValidator(),
      processors: realProcessors(),
      writer: trainingWriter(this.store),
      policy: this.policy,
      ...overrides,
    };
  }

  /** Starts a consumer on this harness's topology (stopped by `close`). */
  async consumer(options: ConsumerOptions = {}): Promise<RabbitConsumer> {
    const deps = this.deps(options.config, options.deps);
    const consumer = new RabbitConsumer({
      url: rabbitUrl,
      topology: options.topology ?? this.topology,
      handler: (delivery, o) => processMessage(delivery, deps, o),
      concurrency: options.concurrency ?? 8,
      connectionName: options.connectionName ?? `${this.prefix}.consumer-${this.consumers.length}`,
      reconnectInitialDelayMs: 100,
      reconnectMaxDelayMs: 1_000,
      requeueDelayMs: 100,
      shutdownGraceMs: options.shutdownGraceMs ?? 5_000,
    });
    this.consumers.push(consumer);
    await consumer.start();
    return consumer;
  }

  async uploadSample(name: string, key = `raw/${randomUUID()}/${name}`): Promise<UploadedFile> {
    return this.upload(readSample(name), key);
  }

  async upload(bytes: Buffer, key: string): Promise<UploadedFile> {
    await this.store.put(BUCKET, key, bytes);
    return { key, sha256: sha256(bytes), size: bytes.byteLength };
  }

  async publish(body: Record<string, unknown> | string | Buffer, routingKey = "health.processing.test"): Promise<void> {
    if (this.#publisher === undefined) throw new Error("harness closed");
    await publishHealthDataMessage(this.#publisher, this.topology.exchange, routingKey, body);
  }

  async depths(): Promise<{ processing: number; retry: number; dlq: number }> {
    const d = await queueDepths(this.admin, this.topology);
    const retry = Object.values(d.retry).reduce<number>((a, b) => a + (b ?? 0), 0);
    return { processing: d.processing ?? 0, retry, dlq: d.deadLetter ?? 0 };
  }

  /** Resolves when nothing is queued, waiting in a tier or in flight (three checks in a row). */
  async idle(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let quiet = 0;
    while (quiet < 3) {
      if (Date.now() > deadline) throw new Error(`not idle after ${timeoutMs} ms: ${JSON.stringify(await this.depths())}`);
      const d = await this.depths();
      const inFlight = this.consumers.reduce((a, c) => a + c.inFlightCount, 0);
      quiet = d.processing === 0 && d.retry === 0 && inFlight === 0 ? quiet + 1 : 0;
      await sleep(100);
    }
  }

  async waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 20_000, what = "condition"): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(50);
    }
  }

  async record(key: string): Promise<ProcessingRecord | undefined> {
    return this.dedup.getRecord(key);
  }

  async keysUnder(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const info of this.store.list(BUCKET, prefix)) keys.push(info.key);
    return keys;
  }

  async outputs(): Promise<string[]> {
    return this.keysUnder(TRAINING_PREFIX);
  }

  async readJson(key: string): Promise<Record<string, unknown>> {
    return JSON.parse((await this.store.get(BUCKET, key)).toString("utf8")) as Record<string, unknown>;
  }

  /** Takes every message off the DLQ. */
  async drainDlq(): Promise<GetMessage[]> {
    return drainQueue(this.topology.deadLetterQueue);
  }

  async close(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.stop()));
    await this.#admin?.close().catch(() => undefined);
    this.#admin = undefined;
    await deleteTopology({ queues: topologyQueues(this.topology), exchanges: topologyExchanges(this.topology) });
    await this.dedup.close();
    await this.store.close();
    await this.s3.close();
    for (const dir of this.#dirs) rmSync(dir, { recursive: true, force: true });
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The real processors package as the consumer's ProcessorLookup. */
export function realProcessors(): ProcessorLookup {
  const registry = createDefaultRegistry();
  return { get: (recordType) => (registry.has(recordType) ? registry.get(recordType) : undefined) };
}

/** The real output package as the consumer's TrainingWriter. */
export function trainingWriter(store: ObjectStore): TrainingWriter {
  const writer = new TrainingOutputWriter({ store, bucket: BUCKET, prefix: TRAINING_PREFIX });
  return { write: (output, options) => writer.writeResult(output, options) };
}

/** An observer that makes the process stage take `ms` longer, so outages land while work is in flight. */
export function slowObserver(ms: number): PipelineObserver {
  return {
    messageStarted: () => ({
      stage: async (name, fn) => {
        if (name === "process") await sleep(ms);
        return fn();
      },
      recordsParsed: () => undefined,
      qualityScore: () => undefined,
      finished: () => undefined,
      injectHeaders: () => undefined,
    }),
  };
}
