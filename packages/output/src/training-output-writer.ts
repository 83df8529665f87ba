import { MessageValidationError, type TrainingExample } from "@narrative-engine/contracts";
import type { ObjectLocation, ObjectStore } from "@narrative-engine/storage";
import { buildTrainingExample, checkTrainingExample, type BuildTrainingExampleInput } from "./build-training-example.ts";
import {
  DEFAULT_TRAINING_PREFIX,
  TRAINING_CONTENT_TYPE,
  normalizeTrainingPrefix,
  trainingObjectKey,
  type TimeInput,
} from "./training-object-key.ts";

/** Options of a {@link TrainingOutputWriter}. */
export interface TrainingOutputWriterOptions {
  /** Where training objects are written (S3 in production, a local folder in embedded mode). */
  readonly store: ObjectStore;
  /** Bucket of the training objects. */
  readonly bucket: string;
  /** Key prefix. Default `training/`. */
  readonly prefix?: string;
}

/** Options of one write. */
export interface TrainingWriteOptions {
  /** The message's idempotency key; defaults to the example's `metadata.idempotency_key` and must match it. */
  readonly idempotencyKey?: string;
  /** First timestamp of the data; defaults to `metadata.data_start`, then `metadata.upload_timestamp_utc`. */
  readonly dataStart?: TimeInput | null;
  /** Cancels the upload. */
  readonly signal?: AbortSignal;
}

/** Where an example was written. */
export interface TrainingWriteLocation extends ObjectLocation {
  /** Bytes written (the JSON line and its newline). */
  readonly bytes: number;
}

function asciiMetadata(entries: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(entries)) {
    // Object metadata travels in HTTP headers: printable ASCII only, and never the user id.
    if (typeof v === "string" && /^[\x20-\x7e]{1,256}$/.test(v)) out[k] = v;
  }
  return out;
}

/**
 * Writes training examples idempotently: one object per idempotency key, holding one JSONL
 * line. Writing the same key again replaces the object (a plain put, no read-modify-write),
 * so redelivered messages never duplicate or lose lines. A failed put rejects.
 */
export class TrainingOutputWriter {
  /** The store written to. */
  readonly store: ObjectStore;
  /** Bucket of the training objects. */
  readonly bucket: string;
  /** Key prefix, with its trailing slash. */
  readonly prefix: string;

  constructor(options: TrainingOutputWriterOptions) {
    if (options.bucket.length === 0) throw new TypeError("TrainingOutputWriter needs a bucket");
    this.store = options.store;
    this.bucket = options.bucket;
    this.prefix = normalizeTrainingPrefix(options.prefix ?? DEFAULT_TRAINING_PREFIX);
  }

  /** The key an example is written to. */
  keyFor(example: TrainingExample, options: Omit<TrainingWriteOptions, "signal"> = {}): string {
    const metadata = example.metadata;
    const idempotencyKey = options.idempotencyKey ?? metadata.idempotency_key;
    if (idempotencyKey !== metadata.idempotency_key) {
      throw new MessageValidationError("idempotency_key", "does not match the training example's metadata.idempotency_key");
    }
    const upload = metadata["upload_timestamp_utc"];
    return trainingObjectKey({
      prefix: this.prefix,
      domain: metadata.health_domain,
      dataStart: options.dataStart ?? metadata.data_start,
      fallbackTime: typeof upload === "string" ? upload : null,
      idempotencyKey,
    });
  }

  /**
   * Validates `example` against `trainingExampleSchema` and puts it as one line at its key.
   * Rejects with the store's error when the put fails: the message must then fail, not complete.
   */
  async write(example: TrainingExample, options: TrainingWriteOptions = {}): Promise<TrainingWriteLocation> {
    return this.#put(checkTrainingExample(example), options);
  }

  /** Puts an example already checked against the schema. */
  async #put(checked: TrainingExample, options: TrainingWriteOptions): Promise<TrainingWriteLocation> {
    const key = this.keyFor(checked, options);
    const body = `${JSON.stringify(checked)}\n`;
    const metadata = asciiMetadata({
      "record-type": checked.metadata.record_type,
      "health-domain": checked.metadata.health_domain,
      "idempotency-key": checked.metadata.idempotency_key,
      "processor-version": checked.metadata.processor_version,
    });
    await this.store.put(this.bucket, key, body, {
      contentType: TRAINING_CONTENT_TYPE,
      metadata,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { bucket: this.bucket, key, bytes: Buffer.byteLength(body, "utf8") };
  }

  /**
   * Builds the example from a processing result and writes it: the consumer's
   * `TrainingWriter.write(output, {signal})`.
   */
  async writeResult(input: BuildTrainingExampleInput, options: { readonly signal?: AbortSignal } = {}): Promise<TrainingWriteLocation> {
    // buildTrainingExample has checked the example already: one schema check per message, not two.
    return this.#put(buildTrainingExample(input), options);
  }
}
