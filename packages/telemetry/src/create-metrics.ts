import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { ERROR_TYPE_LABELS, RECORD_TYPE_LABELS, type ErrorTypeLabel, type RecordTypeLabel } from "./labels.ts";

/** Values of the `status` label of `etl_messages_processed_total`. */
export const MESSAGE_STATUSES = ["completed", "duplicate", "deferred", "retried", "dead_lettered", "quarantined", "failed"] as const;

/** One of {@link MESSAGE_STATUSES}. */
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** Pipeline stages timed by `etl_stage_duration_seconds`. */
export const PIPELINE_STAGES = ["download", "decode", "validate", "process", "output"] as const;

/** One of {@link PIPELINE_STAGES}. */
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

/** Buckets (seconds) that resolve millisecond work as well as slow multi-minute files. */
export const DURATION_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/** Buckets (seconds) for publish → start lag: sub-second when idle up to a day of backlog. */
export const LAG_BUCKETS: readonly number[] = [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400];

/** Buckets for the 0–1 data-quality score. */
export const QUALITY_SCORE_BUCKETS: readonly number[] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1];

/** Answers the current depth of each watched queue, by queue name (called on every scrape). */
export type QueueDepthSource = () => Promise<Readonly<Record<string, number>>> | Readonly<Record<string, number>>;

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /** Registry to register on; a new one by default (never prom-client's global registry). */
  readonly registry?: Registry;
  /** Service name for `etl_service_info`. */
  readonly service: string;
  /** Service version for `etl_service_info`. */
  readonly version: string;
  /** Deployment environment for `etl_service_info` (e.g. `production`). */
  readonly environment: string;
  /** Also collect prom-client's default process and Node.js metrics (default true). */
  readonly defaultMetrics?: boolean;
  /** How long a scrape waits for the queue-depth source, ms (default 2000). */
  readonly queueDepthTimeoutMs?: number;
}

/** The engine's Prometheus metrics, all on one registry. */
export interface EtlMetrics {
  /** The registry holding every metric below (and the default process metrics). */
  readonly registry: Registry;
  /** `etl_messages_processed_total{record_type,status}`. */
  readonly messagesProcessed: Counter<"record_type" | "status">;
  /** `etl_processing_duration_seconds{record_type}`. */
  readonly processingDuration: Histogram<"record_type">;
  /** `etl_stage_duration_seconds{stage}`. */
  readonly stageDuration: Histogram<"stage">;
  /** `etl_duplicate_messages_total`. */
  readonly duplicateMessages: Counter;
  /** `etl_processing_errors_total{error_type,record_type}`. */
  readonly processingErrors: Counter<"error_type" | "record_type">;
  /** `etl_retry_attempts_total{record_type,retry_number}`. */
  readonly retryAttempts: Counter<"record_type" | "retry_number">;
  /** `etl_dead_letter_messages_total{record_type,reason}`. */
  readonly deadLetterMessages: Counter<"record_type" | "reason">;
  /** `etl_records_quarantined_total{record_type,reason}`. */
  readonly recordsQuarantined: Counter<"record_type" | "reason">;
  /** `etl_avro_records_parsed_total{record_type}`. */
  readonly avroRecordsParsed: Counter<"record_type">;
  /** `etl_validation_quality_score`. */
  readonly validationQualityScore: Histogram;
  /** `etl_training_data_generated_total{record_type}`. */
  readonly trainingDataGenerated: Counter<"record_type">;
  /** `etl_messages_in_progress`. */
  readonly messagesInProgress: Gauge;
  /** `etl_rabbitmq_connected` (1 connected, 0 not). */
  readonly rabbitmqConnected: Gauge;
  /** `etl_service_info{service,version,environment}`, always 1. */
  readonly serviceInfo: Gauge<"service" | "version" | "environment">;
  /** `etl_queue_depth{queue}`, refreshed on each scrape from {@link EtlMetrics.setQueueDepthSource}. */
  readonly queueDepth: Gauge<"queue">;
  /** `etl_message_lag_seconds`: publish (or upload) → processing start. */
  readonly messageLag: Histogram;
  /** Sets (or clears) the callback that answers queue depths at scrape time. */
  setQueueDepthSource(source: QueueDepthSource | undefined): void;
  /** Sets `etl_rabbitmq_connected`. */
  setBrokerConnected(connected: boolean): void;
  /** The Prometheus text exposition of the registry. */
  scrape(): Promise<string>;
}

function withTimeout<T>(value: Promise<T> | T, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`timed out after ${ms} ms`));
    }, ms);
    timer.unref();
    Promise.resolve(value).then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * Creates the engine's metrics on their own registry (prom-client's global registry is
 * never touched, so several instances can live in one process and in tests).
 */
export function createMetrics(options: MetricsOptions): EtlMetrics {
  const registry = options.registry ?? new Registry();
  const registers = [registry];
  const queueDepthTimeoutMs = options.queueDepthTimeoutMs ?? 2000;
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  const messagesProcessed = new Counter({
    name: "etl_messages_processed_total",
    help: "Messages finished, by record type and outcome status.",
    labelNames: ["record_type", "status"] as const,
    registers,
  });
  const processingDuration = new Histogram({
    name: "etl_processing_duration_seconds",
    help: "Wall time of one delivery that ran the pipeline (duplicates and deferrals excluded), by record type.",
    labelNames: ["record_type"] as const,
    buckets: [...DURATION_BUCKETS],
    registers,
  });
  const stageDuration = new Histogram({
    name: "etl_stage_duration_seconds",
    help: "Wall time of one pipeline stage (download, decode, validate, process, output).",
    labelNames: ["stage"] as const,
    buckets: [...DURATION_BUCKETS],
    registers,
  });
  const duplicateMessages = new Counter({
    name: "etl_duplicate_messages_total",
    help: "Deliveries skipped because their idempotency key had already reached a terminal status.",
    registers,
  });
  const processingErrors = new Counter({
    name: "etl_processing_errors_total",
    help: "Failed deliveries (retried, dead-lettered or quarantined), by error type and record type.",
    labelNames: ["error_type", "record_type"] as const,
    registers,
  });
  const retryAttempts = new Counter({
    name: "etl_retry_attempts_total",
    help: "Retries scheduled, by record type and retry number (10+ shares one label).",
    labelNames: ["record_type", "retry_number"] as const,
    registers,
  });
  const deadLetterMessages = new Counter({
    name: "etl_dead_letter_messages_total",
    help: "Messages sent to the dead-letter queue, by record type and error type.",
    labelNames: ["record_type", "reason"] as const,
    registers,
  });
  const recordsQuarantined = new Counter({
    name: "etl_records_quarantined_total",
    help: "Files quarantined, by record type and error type.",
    labelNames: ["record_type", "reason"] as const,
    registers,
  });
  const avroRecordsParsed = new Counter({
    name: "etl_avro_records_parsed_total",
    help: "Health Connect records decoded from Avro files, by record type.",
    labelNames: ["record_type"] as const,
    registers,
  });
  const validationQualityScore = new Histogram({
    name: "etl_validation_quality_score",
    help: "Data-quality score (0-1) of each validated file.",
    buckets: [...QUALITY_SCORE_BUCKETS],
    registers,
  });
  const trainingDataGenerated = new Counter({
    name: "etl_training_data_generated_total",
    help: "Training examples written, by record type.",
    labelNames: ["record_type"] as const,
    registers,
  });
  const messagesInProgress = new Gauge({
    name: "etl_messages_in_progress",
    help: "Deliveries currently being handled by this worker.",
    registers,
  });
  const rabbitmqConnected = new Gauge({
    name: "etl_rabbitmq_connected",
    help: "1 while the worker holds a RabbitMQ connection, else 0.",
    registers,
  });
  const serviceInfo = new Gauge({
    name: "etl_service_info",
    help: "Always 1; labels name the running service, its version and environment.",
    labelNames: ["service", "version", "environment"] as const,
    registers,
  });
  const messageLag = new Histogram({
    name: "etl_message_lag_seconds",
    help: "Time from publish (AMQP timestamp) or upload to the start of processing.",
    buckets: [...LAG_BUCKETS],
    registers,
  });

  let queueDepthSource: QueueDepthSource | undefined;
  const queueDepth: Gauge<"queue"> = new Gauge({
    name: "etl_queue_depth",
    help: "Messages ready in each watched queue, read at scrape time.",
    labelNames: ["queue"] as const,
    registers,
    collect: async () => {
      // Series of a failed read are dropped rather than left stale, so `absent()` alerts can see it.
      queueDepth.reset();
      const source = queueDepthSource;
      if (source === undefined) return;
      try {
        const depths = await withTimeout(source(), queueDepthTimeoutMs);
        for (const [queue, depth] of Object.entries(depths)) {
          if (Number.isFinite(depth)) queueDepth.set({ queue }, depth);
        }
      } catch {
        // A broker that does not answer must not break the scrape.
      }
    },
  });

  serviceInfo.set({ service: options.service, version: options.version, environment: options.environment }, 1);
  messagesInProgress.set(0);
  rabbitmqConnected.set(0);
  duplicateMessages.inc(0);
  // Zero series up front so rate()/increase() see the first event of each kind.
  for (const recordType of RECORD_TYPE_LABELS) initialiseRecordType(recordType);

  function initialiseRecordType(recordType: RecordTypeLabel): void {
    for (const status of MESSAGE_STATUSES) messagesProcessed.inc({ record_type: recordType, status }, 0);
    for (const reason of ERROR_TYPE_LABELS satisfies readonly ErrorTypeLabel[]) {
      deadLetterMessages.inc({ record_type: recordType, reason }, 0);
      recordsQuarantined.inc({ record_type: recordType, reason }, 0);
    }
    trainingDataGenerated.inc({ record_type: recordType }, 0);
    avroRecordsParsed.inc({ record_type: recordType }, 0);
  }

  return {
    registry,
    messagesProcessed,
    processingDuration,
    stageDuration,
    duplicateMessages,
    processingErrors,
    retryAttempts,
    deadLetterMessages,
    recordsQuarantined,
    avroRecordsParsed,
    validationQualityScore,
    trainingDataGenerated,
    messagesInProgress,
    rabbitmqConnected,
    serviceInfo,
    queueDepth,
    messageLag,
    setQueueDepthSource(source) {
      queueDepthSource = source;
    },
    setBrokerConnected(connected) {
      rabbitmqConnected.set(connected ? 1 : 0);
    },
    scrape() {
      return registry.metrics();
    },
  };
}
