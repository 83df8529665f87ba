import { randomUUID } from "node:crypto";
import { avroRecordName, type HealthDataMessageWire, type RecordType } from "@narrative-engine/contracts";
import { sha256Hex } from "@narrative-engine/storage";

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/**
 * The key the health-api producer uploads a file under:
 * `raw/{type}/{YYYY}/{MM}/{DD}/{user}_{timestamp}.avro` (UTC date of the upload).
 */
export function rawObjectKey(recordType: RecordType, userId: string, uploadedAtMs: number): string {
  const d = new Date(uploadedAtMs);
  const safeUser = userId.replace(/[^A-Za-z0-9._-]/g, "_");
  return `raw/${recordType}/${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${safeUser}_${uploadedAtMs}.avro`;
}

/** What a producer message is built from. */
export interface ProducerMessageInput {
  readonly bucket: string;
  readonly key: string;
  readonly userId: string;
  readonly recordType: RecordType;
  /** The file's bytes (hashed and measured). */
  readonly bytes: Uint8Array;
  readonly uploadedAtMs: number;
  /** Correlation id; a random UUID when absent, as the producer does. */
  readonly correlationId?: string;
  /** Records in the file, when known. */
  readonly recordCount?: number;
}

/**
 * The message body exactly as the health-api producer sends it: `Avro`-prefixed record type,
 * `file_hash`, `correlation_id` only, no idempotency key (the consumer derives it as
 * sha256(`user_id:file_hash`)[0:16]).
 */
export function producerMessage(input: ProducerMessageInput): HealthDataMessageWire {
  return {
    bucket: input.bucket,
    key: input.key,
    user_id: input.userId,
    record_type: avroRecordName(input.recordType),
    upload_timestamp_utc: new Date(input.uploadedAtMs).toISOString(),
    file_size_bytes: input.bytes.byteLength,
    file_hash: sha256Hex(input.bytes),
    correlation_id: input.correlationId ?? randomUUID(),
    ...(input.recordCount === undefined ? {} : { record_count: input.recordCount }),
  };
}
