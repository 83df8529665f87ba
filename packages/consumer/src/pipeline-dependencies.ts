import type {
  ClinicalProcessor,
  DeduplicationStore,
  ErrorType,
  HealthDataMessage,
  ProcessingResult,
  RecordType,
  ValidationResult,
} from "@narrative-engine/contracts";
import type { RecoveryDecision } from "@narrative-engine/errors";
import type { ObjectStore } from "@narrative-engine/storage";
import type { Logger } from "./logger.ts";
import type { PipelineObserver } from "./pipeline-observer.ts";

/** A decoded file, as the pipeline needs it. */
export interface DecodedFile {
  /** Record type found in the file's schema. */
  readonly recordType: RecordType;
  /** The records. */
  readonly records: readonly unknown[];
  /** Summary of the file; timestamps as ISO strings, Dates or epoch ms. */
  readonly stats: {
    readonly count: number;
    readonly firstTimestamp?: string | Date | number | null;
    readonly lastTimestamp?: string | Date | number | null;
  };
}

/** Decodes a Health Connect Avro file (`@narrative-engine/avro`'s `decodeHealthConnect`). */
export interface Decoder {
  /** Decodes `bytes`; rejects or throws a `schema_error` when the file is corrupt or of another type. */
  decode(bytes: Uint8Array, options: { readonly expectedType: RecordType; readonly maxRecords?: number }): DecodedFile | Promise<DecodedFile>;
}

/** Scores data quality (`@narrative-engine/validation`'s `DataQualityValidator`). */
export interface Validator {
  /** Validates one file's records. */
  validate(recordType: RecordType, records: readonly unknown[]): ValidationResult | Promise<ValidationResult>;
}

/** Finds the clinical processor of a record type (`@narrative-engine/processors`' registry). */
export interface ProcessorLookup {
  /** The processor, or undefined when none handles the type. */
  get(recordType: RecordType): ClinicalProcessor | undefined;
}

/** Everything a training example is built from. */
export interface TrainingOutput {
  readonly message: HealthDataMessage;
  readonly result: ProcessingResult;
  readonly validation: ValidationResult;
  readonly processorVersion: string;
  /** First record timestamp (ISO 8601), when known. */
  readonly dataStart: string | null;
  /** Last record timestamp (ISO 8601), when known. */
  readonly dataEnd: string | null;
}

/** Writes one training example idempotently, keyed by the message's idempotency key (`@narrative-engine/output`). */
export interface TrainingWriter {
  /** Writes the example; the same input written twice gives one object. */
  write(output: TrainingOutput, options: { readonly signal: AbortSignal }): Promise<unknown>;
}

/** Routes a failure (`@narrative-engine/errors`' `RecoveryPolicy`). */
export interface RecoveryPolicyLike {
  /** What to do after a failure of `errorType` when `attempt` retries were already done. */
  decide(errorType: ErrorType, attempt: number): RecoveryDecision;
}

/** Settings of the pipeline. */
export interface PipelineConfig {
  /** Buckets messages may point at; a message naming another bucket is dead-lettered unfetched. */
  readonly allowedBuckets: readonly string[];
  /** Bucket quarantined files and their sidecars are written to. */
  readonly quarantineBucket: string;
  /** Prefix of quarantined objects. Default `quarantine/`. */
  readonly quarantinePrefix?: string;
  /** Claim lease, ms; renewed every third of it while work runs. Default 300 000. */
  readonly leaseMs?: number;
  /** Per-message deadline, ms (`timeout_error`, retriable). Default 300 000. */
  readonly processingTimeoutMs?: number;
  /** Largest file downloaded, bytes (larger: `validation_error`, never retried). Default 100 MiB. */
  readonly maxFileBytes?: number;
  /** Largest record count decoded. */
  readonly maxRecords?: number;
  /** Longest deferral when another worker holds the key (the first retry tier). Default 30 000. */
  readonly maxDeferMs?: number;
  /** Wait before requeueing after a dedup-store outage, ms. Default 1 000. */
  readonly requeueDelayMs?: number;
  /** Identifies this worker in owner tokens and logs. */
  readonly workerId: string;
}

/** What the pipeline is composed of. */
export interface PipelineDependencies {
  readonly config: PipelineConfig;
  readonly store: ObjectStore;
  readonly dedup: DeduplicationStore;
  readonly decoder: Decoder;
  readonly validator: Validator;
  readonly processors: ProcessorLookup;
  readonly writer: TrainingWriter;
  readonly policy: RecoveryPolicyLike;
  readonly logger?: Logger;
  readonly observer?: PipelineObserver;
  /** Clock, for tests. Default `Date.now`. */
  readonly now?: () => number;
}
